// SPDX-License-Identifier: GPL-3.0-or-later
#include "panes/historypane.h"

#include "itemmodels/historymodel.h"

#include <QHeaderView>
#include <QIdentityProxyModel>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace sockscope {

HistoryPane::HistoryPane(HistoryModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_proxy(new QIdentityProxyModel(this)),
      m_view(new QTableView(this))
{
    m_proxy->setSourceModel(m_model);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *note = new QLabel(tr("Connections that ended (the last %1, up to %2 min back): click "
                               "one to inspect it.")
                                .arg(ConnectionHistory::kMaxEnded)
                                .arg(ConnectionHistory::kEndedKeepMs / 60000),
                            this);
    note->setWordWrap(true);
    layout->addWidget(note);
    m_view->setObjectName(QStringLiteral("historyView"));
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_view->setColumnWidth(HistoryModel::EndedColumn, digit * 10);
    m_view->setColumnWidth(HistoryModel::StateColumn, digit * 13);
    m_view->setColumnWidth(HistoryModel::LocalColumn, digit * 21);
    m_view->setColumnWidth(HistoryModel::PeerColumn, digit * 21);
    layout->addWidget(m_view, 1);
    const auto activate = [this](const QModelIndex &index) {
        if (const std::uint64_t id = m_model->idAt(index.row()))
            Q_EMIT connectionActivated(id);
    };
    connect(m_view, &QTableView::clicked, this, activate);
    connect(m_view, &QTableView::activated, this, activate);
}

void HistoryPane::setModel(HistoryModel *model)
{
    m_model = model;
    m_proxy->setSourceModel(m_model);
}

} // namespace sockscope
