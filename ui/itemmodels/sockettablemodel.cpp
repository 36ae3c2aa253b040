// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemmodels/sockettablemodel.h"

#include "format/durationtext.h"
#include "format/ownertext.h"
#include "util/monotonic.h"

#include <algorithm>
#include <QBrush>
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

namespace sockscope {

namespace {
std::int64_t remainingMs(const SocketRecord &socket, std::int64_t observedMs, std::int64_t now)
{
    return std::max<std::int64_t>(0,
                                  static_cast<std::int64_t>(socket.expiresMs) - (now - observedMs));
}
} // namespace

SocketTableModel::SocketTableModel(QObject *parent)
    : QAbstractTableModel(parent), m_clock([] { return monotonicMs(); })
{
}

int SocketTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SocketTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const ConnectionView *SocketTableModel::connectionAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return nullptr;
    return &m_rows[row].view;
}

QVariant SocketTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StateColumn:
        return tr("State");
    case LocalColumn:
        return tr("Local address");
    case RemoteColumn:
        return tr("Peer address");
    case OwnerColumn:
        return tr("Owner");
    case TimeInStateColumn:
        return tr("In state");
    case TimerColumn:
        return tr("Timer");
    case RecvQColumn:
        return tr("Recv-Q");
    case SendQColumn:
        return tr("Send-Q");
    case FamilyColumn:
        return tr("Family");
    case UidColumn:
        return tr("UID");
    case InodeColumn:
        return tr("Inode");
    default:
        return {};
    }
}

QVariant SocketTableModel::display(const Row &row, int column, std::int64_t now) const
{
    const SocketRecord &s = row.view.socket;
    switch (column) {
    case StateColumn:
        return tcpStateName(s.state);
    case LocalColumn:
        return s.local.text(s.family);
    case RemoteColumn:
        return s.remote.text(s.family);
    case OwnerColumn:
        return labOwned(row) ? tr("lab · %1").arg(ownerText(row.view.owner))
                             : ownerText(row.view.owner);
    case TimeInStateColumn: {
        const QString text = durationText(now - row.view.stateSinceMs);
        return row.view.stateSinceIsLowerBound ? QStringLiteral("≥ ") + text : text;
    }
    case TimerColumn:
        return timerText(s, remainingMs(s, row.observedMs, now));
    case RecvQColumn:
        return s.recvQ;
    case SendQColumn:
        return s.sendQ;
    case FamilyColumn:
        return familyName(s.family);
    case UidColumn:
        return s.uid;
    case InodeColumn:
        return s.inode;
    default:
        return {};
    }
}

QVariant SocketTableModel::sortKey(const Row &row, int column, std::int64_t now) const
{
    const SocketRecord &s = row.view.socket;
    switch (column) {
    case StateColumn:
        return static_cast<int>(s.state);
    case LocalColumn:
        return s.local.port;
    case RemoteColumn:
        return s.remote.port;
    case TimeInStateColumn:
        return static_cast<qlonglong>(now - row.view.stateSinceMs);
    case TimerColumn:
        return static_cast<qlonglong>(
            s.timer == TimerKind::Off ? -1 : remainingMs(s, row.observedMs, now));
    default:
        return display(row, column, now);
    }
}

QVariant SocketTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows[index.row()];
    const std::int64_t now = m_clock();
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column(), now);
    case SortRole:
        return sortKey(row, index.column(), now);
    case ConnectionIdRole:
        return static_cast<qulonglong>(row.view.id);
    case StateRole:
        return static_cast<int>(row.view.socket.state);
    case LocalPortRole:
        return row.view.socket.local.port;
    case RemotePortRole:
        return row.view.socket.remote.port;
    case LabOwnedRole:
        return labOwned(row);
    case Qt::FontRole:
        if (index.column() == OwnerColumn && labOwned(row)) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case HighlightRole:
        if (row.goneMs >= 0)
            return -1;
        return now - row.appearedMs < kHighlightMs ? 1 : 0;
    case Qt::BackgroundRole:
        if (row.goneMs >= 0)
            return QBrush(QColor(220, 60, 60, 90));
        if (now - row.appearedMs < kHighlightMs)
            return QBrush(QColor(60, 180, 75, 90));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == RecvQColumn || index.column() == SendQColumn ||
            index.column() == UidColumn || index.column() == InodeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == OwnerColumn && row.view.owner.ownership == Ownership::Orphaned)
            return tr("No process holds this socket: the kernel keeps it (TIME_WAIT, FIN_WAIT2), "
                      "or its descriptor was closed while accept() still ran on it.");
        if (index.column() == OwnerColumn && row.view.owner.ownership == Ownership::Unknown)
            return tr("It belongs to a process whose descriptors we may not read: run as root "
                      "to see every owner.");
        return {};
    default:
        return {};
    }
}

bool SocketTableModel::labOwned(const Row &row) const
{
    return std::any_of(
        row.view.owner.owners.cbegin(), row.view.owner.owners.cend(),
        [this](const OwnerProcess &process) { return m_labPids.contains(process.pid); });
}

void SocketTableModel::setLabPids(const QSet<int> &pids)
{
    if (pids == m_labPids)
        return;
    m_labPids = pids;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, OwnerColumn),
                           index(static_cast<int>(m_rows.size()) - 1, OwnerColumn));
}

void SocketTableModel::reindexFrom(int row)
{
    for (int i = row; i < m_rows.size(); ++i)
        m_rowById.insert(m_rows[i].view.id, i);
}

void SocketTableModel::upsert(const ConnectionView &view, std::int64_t timeMs, bool initial)
{
    const auto found = m_rowById.constFind(view.id);
    if (found != m_rowById.constEnd()) {
        Row &row = m_rows[found.value()];
        row.view = view;
        row.observedMs = timeMs;
        row.goneMs = -1;
        Q_EMIT dataChanged(index(found.value(), 0), index(found.value(), ColumnCount - 1));
        return;
    }
    const int position = static_cast<int>(m_rows.size());
    beginInsertRows({}, position, position);
    // Sockets that existed before we looked are not "new": no highlight for them.
    m_rows.append(Row{view, timeMs, initial ? timeMs - kHighlightMs : timeMs, -1});
    m_rowById.insert(view.id, position);
    endInsertRows();
}

void SocketTableModel::markGone(std::uint64_t id, std::int64_t timeMs)
{
    const auto found = m_rowById.constFind(id);
    if (found == m_rowById.constEnd())
        return;
    m_rows[found.value()].goneMs = timeMs;
    Q_EMIT dataChanged(index(found.value(), 0), index(found.value(), ColumnCount - 1));
}

void SocketTableModel::applyBatch(const PollBatch &batch)
{
    for (const SocketEvent &event : batch.events) {
        if (event.kind == EventKind::Gone)
            markGone(event.connection.id, event.timeMs);
        else
            upsert(event.connection, batch.timeMs, event.initial);
    }
    for (const ConnectionView &view : batch.updated)
        upsert(view, batch.timeMs, false);
}

void SocketTableModel::removeExpired(std::int64_t nowMs)
{
    int lowest = -1;
    for (int i = static_cast<int>(m_rows.size()) - 1; i >= 0; --i) {
        if (m_rows[i].goneMs < 0 || nowMs - m_rows[i].goneMs < kHighlightMs)
            continue;
        beginRemoveRows({}, i, i);
        m_rowById.remove(m_rows[i].view.id);
        m_rows.removeAt(i);
        endRemoveRows();
        lowest = i;
    }
    if (lowest >= 0)
        reindexFrom(lowest);
}

void SocketTableModel::tick(std::int64_t nowMs)
{
    removeExpired(nowMs);
    if (m_rows.isEmpty())
        return;
    const int last = static_cast<int>(m_rows.size()) - 1;
    Q_EMIT dataChanged(index(0, TimeInStateColumn), index(last, TimerColumn),
                       {Qt::DisplayRole, SortRole, Qt::BackgroundRole, HighlightRole});
}

} // namespace sockscope
