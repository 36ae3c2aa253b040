// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemmodels/portsummarymodel.h"

#include <algorithm>
#include <QBrush>
#include <QFont>
#include <QSet>
#include <vector>

namespace sockscope {

namespace {
QString shortStateName(TcpState state)
{
    switch (state) {
    case TcpState::Listen:
        return QStringLiteral("LSN");
    case TcpState::SynSent:
        return QStringLiteral("SYN-S");
    case TcpState::SynRecv:
        return QStringLiteral("SYN-R");
    case TcpState::Established:
        return QStringLiteral("EST");
    case TcpState::FinWait1:
        return QStringLiteral("FW1");
    case TcpState::FinWait2:
        return QStringLiteral("FW2");
    case TcpState::TimeWait:
        return QStringLiteral("TW");
    case TcpState::Close:
        return QStringLiteral("CL");
    case TcpState::CloseWait:
        return QStringLiteral("CW");
    case TcpState::LastAck:
        return QStringLiteral("LA");
    case TcpState::Closing:
        return QStringLiteral("CLG");
    default:
        return QStringLiteral("?");
    }
}
} // namespace

const std::array<TcpState, 11> &PortSummaryModel::stateColumns()
{
    static const std::array<TcpState, 11> columns = {
        TcpState::Listen,    TcpState::SynSent,  TcpState::SynRecv,  TcpState::Established,
        TcpState::FinWait1,  TcpState::FinWait2, TcpState::TimeWait, TcpState::Closing,
        TcpState::CloseWait, TcpState::LastAck,  TcpState::Close};
    return columns;
}

PortSummaryModel::PortSummaryModel(QObject *parent) : QAbstractTableModel(parent) {}

void PortSummaryModel::clear()
{
    beginResetModel();
    m_members.clear();
    m_listeners.clear();
    m_tally.clear();
    m_rows.clear();
    m_rowByPort.clear();
    endResetModel();
}

int PortSummaryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int PortSummaryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : FirstStateColumn + static_cast<int>(stateColumns().size());
}

QVariant PortSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    const int stateIndex = section - FirstStateColumn;
    if (role == Qt::DisplayRole) {
        if (section == PortColumn)
            return tr("Port");
        if (section == TotalColumn)
            return tr("All");
        if (stateIndex >= 0 && stateIndex < static_cast<int>(stateColumns().size()))
            return shortStateName(stateColumns()[stateIndex]);
    }
    if (role == Qt::ToolTipRole && stateIndex >= 0 &&
        stateIndex < static_cast<int>(stateColumns().size()))
        return tcpStateDisplayName(stateColumns()[stateIndex]);
    return {};
}

QVariant PortSummaryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows[index.row()];
    const int stateIndex = index.column() - FirstStateColumn;
    const int count =
        stateIndex >= 0 ? row.counts[static_cast<std::size_t>(stateColumns()[stateIndex])] : 0;
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == PortColumn)
            return row.port;
        if (index.column() == TotalColumn)
            return row.total;
        return count > 0 ? QVariant(count) : QVariant(QString());
    case SortRole:
        if (index.column() == PortColumn)
            // Listening ports sort before the others, then by number.
            return (row.listening ? 0 : 100000) + row.port;
        if (index.column() == TotalColumn)
            return row.total;
        return count;
    case PortRole:
        return row.port;
    case ListeningRole:
        return row.listening;
    case Qt::FontRole:
        if (index.column() == PortColumn && row.listening) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (index.column() == PortColumn)
            return row.listening ? tr("Something listens on port %1").arg(row.port)
                                 : tr("Nothing listens on port %1").arg(row.port);
        return {};
    default:
        return {};
    }
}

PortSummaryModel::Ports PortSummaryModel::portsOf(const Member &member) const
{
    Ports ports;
    if (listening(member.localPort) || member.localPort < m_ephemeralStart)
        ports.port[ports.count++] = member.localPort;
    const bool remoteMatters =
        ports.count == 0 || listening(member.remotePort) || member.remotePort < m_ephemeralStart;
    if (member.state != TcpState::Listen && member.remotePort != 0 && remoteMatters &&
        member.remotePort != member.localPort)
        ports.port[ports.count++] = member.remotePort;
    return ports;
}

PortSummaryModel::StateCounts PortSummaryModel::countsFor(std::uint16_t port) const
{
    const int row = rowOf(port);
    return row < 0 ? StateCounts{} : m_rows[row].counts;
}

int PortSummaryModel::rowOf(std::uint16_t port) const
{
    return m_rowByPort.value(port, -1);
}

void PortSummaryModel::tally(const Member &member, int delta, QSet<std::uint16_t> &touched)
{
    const Ports ports = portsOf(member);
    for (int i = 0; i < ports.count; ++i) {
        const std::uint16_t port = ports.port[i];
        Row &row = m_tally[port];
        row.port = port;
        row.listening = listening(port);
        row.counts[static_cast<std::size_t>(member.state)] += delta;
        row.total += delta;
        if (row.total == 0)
            m_tally.remove(port);
        touched.insert(port);
    }
}

bool PortSummaryModel::countListener(const Member &member, int delta)
{
    if (member.state != TcpState::Listen)
        return false;
    int &count = m_listeners[member.localPort];
    const bool wasListening = count > 0;
    count += delta;
    const bool isListening = count > 0;
    if (count <= 0)
        m_listeners.remove(member.localPort);
    return wasListening != isListening;
}

void PortSummaryModel::applyBatch(const PollBatch &batch)
{
    if (batch.stats.ephemeralPortStart > 0 && batch.stats.ephemeralPortStart != m_ephemeralStart) {
        m_ephemeralStart = batch.stats.ephemeralPortStart;
        recount();
    }
    QSet<std::uint16_t> touched;
    bool listenersMoved = false;
    for (const SocketEvent &event : batch.events) {
        const auto old = m_members.constFind(event.connection.id);
        if (old != m_members.constEnd()) {
            if (!listenersMoved)
                tally(old.value(), -1, touched);
            listenersMoved |= countListener(old.value(), -1);
            m_members.erase(old);
        }
        if (event.kind == EventKind::Gone)
            continue;
        const SocketRecord &s = event.connection.socket;
        const Member member{s.state, s.local.port, s.remote.port};
        m_members.insert(event.connection.id, member);
        listenersMoved |= countListener(member, +1);
        if (!listenersMoved)
            tally(member, +1, touched);
    }
    // Which ports matter changed: every connection may count elsewhere now.
    if (listenersMoved)
        recount();
    else if (!touched.isEmpty())
        showRows(touched);
}

void PortSummaryModel::recount()
{
    m_tally.clear();
    QSet<std::uint16_t> touched;
    for (const Member &member : std::as_const(m_members))
        tally(member, +1, touched);
    for (const Row &row : std::as_const(m_rows))
        touched.insert(row.port);
    showRows(touched);
}

void PortSummaryModel::showRows(const QSet<std::uint16_t> &ports)
{
    // Apply the tally to the rows so views keep their selection.
    bool removed = false;
    for (int i = static_cast<int>(m_rows.size()) - 1; i >= 0; --i) {
        if (!ports.contains(m_rows[i].port) || m_tally.contains(m_rows[i].port))
            continue;
        beginRemoveRows({}, i, i);
        m_rows.removeAt(i);
        endRemoveRows();
        removed = true;
    }
    if (removed) {
        m_rowByPort.clear();
        for (int i = 0; i < m_rows.size(); ++i)
            m_rowByPort.insert(m_rows[i].port, i);
    }
    // New rows in port order, as a recount would add them.
    std::vector<std::uint16_t> sorted(ports.cbegin(), ports.cend());
    std::sort(sorted.begin(), sorted.end());
    for (const std::uint16_t port : sorted) {
        const auto now = m_tally.constFind(port);
        if (now == m_tally.constEnd())
            continue;
        const int i = m_rowByPort.value(port, -1);
        if (i >= 0) {
            Row &row = m_rows[i];
            if (row.counts != now->counts || row.listening != now->listening) {
                row = now.value();
                Q_EMIT dataChanged(index(i, 0), index(i, columnCount() - 1));
            }
            continue;
        }
        const int position = static_cast<int>(m_rows.size());
        beginInsertRows({}, position, position);
        m_rows.append(now.value());
        m_rowByPort.insert(port, position);
        endInsertRows();
    }
}

} // namespace sockscope
