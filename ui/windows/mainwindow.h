// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "poller/pollbatch.h"

#include <QMainWindow>

class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;
class QAction;

namespace sockscope {

class Poller;
class SocketFilterProxy;
class SocketTableModel;

// The live window: a sortable, filterable socket table fed by the poller's
// batches. It never calls the kernel itself.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Takes the poller (not started) and starts it. With persistSettings false
    // (screenshots, tests) nothing is read from or written to QSettings.
    explicit MainWindow(Poller *poller, bool persistSettings = true, QWidget *parent = nullptr);
    ~MainWindow() override;

    SocketTableModel *socketModel() const { return m_model; }
    QTableView *socketView() const { return m_table; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildToolBar();
    void onBatch(const PollBatch &batch);
    void updateStatus(const PollStats &stats);
    void restoreSettings();
    void saveSettings() const;

    Poller *m_poller;
    bool m_persistSettings;
    SocketTableModel *m_model;
    SocketFilterProxy *m_proxy;
    QTableView *m_table;
    QLineEdit *m_filter = nullptr;
    QSpinBox *m_interval = nullptr;
    QAction *m_pause = nullptr;
    QLabel *m_counts = nullptr;
    QLabel *m_cost = nullptr;
    QLabel *m_privilege = nullptr;
};

} // namespace sockscope
