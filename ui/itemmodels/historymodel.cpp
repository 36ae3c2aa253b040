// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemmodels/historymodel.h"

#include "format/durationtext.h"
#include "format/ownertext.h"
#include "util/monotonic.h"

#include <QTime>

namespace sockscope {

QString endedClockText(std::int64_t endedMs, std::int64_t nowMs)
{
    return QTime::currentTime()
        .addMSecs(static_cast<int>(endedMs - nowMs))
        .toString(QStringLiteral("HH:mm:ss"));
}

QString endedAtText(std::int64_t endedMs, std::int64_t nowMs)
{
    return HistoryModel::tr("ended at %1, %2 ago")
        .arg(endedClockText(endedMs, nowMs), durationText(nowMs - endedMs));
}

HistoryModel::HistoryModel(const ConnectionHistory *history, QObject *parent)
    : QAbstractTableModel(parent), m_history(history), m_clock([] { return monotonicMs(); })
{
    refresh();
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_ids.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::uint64_t HistoryModel::idAt(int row) const
{
    return row >= 0 && row < m_ids.size() ? m_ids[row] : 0;
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case EndedColumn:
        return tr("Ended");
    case StateColumn:
        return tr("Last state");
    case LocalColumn:
        return tr("Local address");
    case PeerColumn:
        return tr("Peer address");
    case OwnerColumn:
        return tr("Owner");
    default:
        return {};
    }
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const ConnectionEntry *entry = m_history->find(m_ids[index.row()]);
    if (!entry)
        return {};
    if (role == ConnectionIdRole)
        return static_cast<qulonglong>(entry->view.id);
    if (role == Qt::ToolTipRole && index.column() == EndedColumn)
        return endedAtText(entry->endedMs, m_clock());
    if (role != Qt::DisplayRole)
        return {};
    const SocketRecord &s = entry->view.socket;
    switch (index.column()) {
    case EndedColumn:
        return endedClockText(entry->endedMs, m_clock());
    case StateColumn:
        return socketStateDisplayName(s);
    case LocalColumn:
        return s.local.text(s.family);
    case PeerColumn:
        return s.remote.text(s.family);
    case OwnerColumn:
        return ownerText(entry->view.owner);
    default:
        return {};
    }
}

void HistoryModel::reload()
{
    beginResetModel();
    m_ids.clear();
    m_generation = m_history->endedGeneration();
    for (const ConnectionEntry *entry : m_history->ended())
        m_ids << entry->view.id;
    endResetModel();
}

void HistoryModel::refresh()
{
    if (m_history->endedGeneration() == m_generation && !m_ids.isEmpty())
        return;
    m_generation = m_history->endedGeneration();
    QList<std::uint64_t> ids;
    for (const ConnectionEntry *entry : m_history->ended())
        ids << entry->view.id;
    // The usual change: some ended (new rows on top), the oldest pruned (rows
    // off the bottom); anything else resets.
    const qsizetype fresh = m_ids.isEmpty() ? ids.size() : ids.indexOf(m_ids.first());
    const qsizetype kept = ids.size() - std::max<qsizetype>(fresh, 0);
    if (fresh < 0 || kept > m_ids.size() || ids.mid(fresh) != m_ids.first(kept)) {
        beginResetModel();
        m_ids = ids;
        endResetModel();
        return;
    }
    if (kept < m_ids.size()) {
        beginRemoveRows({}, static_cast<int>(kept), static_cast<int>(m_ids.size()) - 1);
        m_ids.resize(kept);
        endRemoveRows();
    }
    if (fresh > 0) {
        beginInsertRows({}, 0, static_cast<int>(fresh) - 1);
        m_ids = ids.first(fresh) + m_ids;
        endInsertRows();
    }
}

} // namespace sockscope
