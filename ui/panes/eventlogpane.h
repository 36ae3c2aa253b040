// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace sockscope {

class EventLogModel;

// The event log: every event, newest at the bottom (following it unless the
// user scrolled up), a filter box, export to JSON lines or CSV.
class EventLogPane : public QWidget
{
    Q_OBJECT
public:
    explicit EventLogPane(EventLogModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    // Writes the shown rows (after the filter) to `path`; JSON lines when the
    // name ends in .jsonl or .json, CSV otherwise. Returns an error message or empty.
    QString exportTo(const QString &path) const;
    // Shows another source's events (the window's tabs each have their own).
    void setModel(EventLogModel *model);

Q_SIGNALS:
    void connectionActivated(quint64 connectionId);

private:
    void chooseExportFile();

    EventLogModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLineEdit *m_filter;
};

} // namespace sockscope
