// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QIdentityProxyModel;
class QTableView;

namespace sockscope {

class HistoryModel;

// The ended connections, newest first: clicking one shows it in the details
// pane (its timeline and ladder) although its row left the socket table.
class HistoryPane : public QWidget
{
    Q_OBJECT
public:
    explicit HistoryPane(HistoryModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    // Shows another source's history (the window's tabs each have their own).
    void setModel(HistoryModel *model);

Q_SIGNALS:
    void connectionActivated(quint64 connectionId);

private:
    HistoryModel *m_model;
    // Between the view and the model, so that switching models keeps the
    // view's column widths and selection model.
    QIdentityProxyModel *m_proxy;
    QTableView *m_view;
};

} // namespace sockscope
