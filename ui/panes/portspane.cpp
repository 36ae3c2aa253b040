// SPDX-License-Identifier: GPL-3.0-or-later
#include "panes/portspane.h"

#include "itemmodels/portsummarymodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace sockscope {

PortsPane::PortsPane(PortSummaryModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)), m_filter(new QLineEdit(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(PortSummaryModel::SortRole);
    m_proxy->setFilterKeyColumn(PortSummaryModel::PortColumn);
    m_proxy->setDynamicSortFilter(true);
    m_view->setObjectName(QStringLiteral("portsView"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(PortSummaryModel::PortColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->horizontalHeader()->setDefaultSectionSize(
        fontMetrics().horizontalAdvance(QStringLiteral("SYN-R")) + 14);
    m_view->horizontalHeader()->setMinimumSectionSize(20);
    m_view->setColumnWidth(PortSummaryModel::PortColumn,
                           fontMetrics().horizontalAdvance(QStringLiteral("655350")) + 12);

    m_filter->setObjectName(QStringLiteral("portsFilter"));
    m_filter->setPlaceholderText(tr("Port…"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            [this](const QString &text) { m_proxy->setFilterFixedString(text.trimmed()); });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("<b>Ports</b> · listening ports first"), this);
    layout->addWidget(title);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { Q_EMIT portSelected(selectedPort()); });
    // Only the states that occur get a column: eleven mostly empty columns would
    // not fit a side pane.
    m_hideEmpty = new QTimer(this);
    m_hideEmpty->setSingleShot(true);
    connect(m_hideEmpty, &QTimer::timeout, this, &PortsPane::hideEmptyStates);
    followModel();
}

void PortsPane::followModel()
{
    const auto later = [this] { m_hideEmpty->start(0); };
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, this, later);
    connect(m_model, &QAbstractItemModel::dataChanged, this, later);
    hideEmptyStates();
}

void PortsPane::setModel(PortSummaryModel *model)
{
    if (model == m_model)
        return;
    disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_proxy->setSourceModel(m_model);
    followModel();
}

void PortsPane::hideEmptyStates()
{
    for (int column = PortSummaryModel::FirstStateColumn; column < m_model->columnCount();
         ++column) {
        bool used = false;
        for (int row = 0; row < m_model->rowCount() && !used; ++row)
            used = m_model->index(row, column).data(PortSummaryModel::SortRole).toInt() > 0;
        m_view->setColumnHidden(column, !used);
    }
}

std::optional<std::uint16_t> PortsPane::selectedPort() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    return static_cast<std::uint16_t>(rows.first().data(PortSummaryModel::PortRole).toUInt());
}

void PortsPane::selectPort(std::optional<std::uint16_t> port)
{
    if (!port) {
        m_view->clearSelection();
        return;
    }
    const int row = m_model->rowOf(*port);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

} // namespace sockscope
