// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace sockscope {

class PortSummaryModel;

// The ports pane: every port that matters with a count per state, listening
// ports first, a filter box. Selecting a port focuses the rest of the window on it.
class PortsPane : public QWidget
{
    Q_OBJECT
public:
    explicit PortsPane(PortSummaryModel *model, QWidget *parent = nullptr);

    std::optional<std::uint16_t> selectedPort() const;
    // Selects the port's row (if it has one); nullopt clears the selection.
    void selectPort(std::optional<std::uint16_t> port);
    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    // Shows another source's ports (the window's tabs each have their own);
    // the selection goes with the old model.
    void setModel(PortSummaryModel *model);

Q_SIGNALS:
    void portSelected(std::optional<std::uint16_t> port);

private:
    void followModel();
    void hideEmptyStates();

    PortSummaryModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLineEdit *m_filter;
    // Every changed row signals dataChanged; the columns are checked once per
    // turn of the event loop, not once per row (that was quadratic in ports).
    QTimer *m_hideEmpty;
};

} // namespace sockscope
