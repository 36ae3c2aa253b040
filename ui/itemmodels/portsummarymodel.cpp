// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemmodels/portsummarymodel.h"

#include <QBrush>
#include <QFont>
#include <QMap>
#include <QSet>

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
        return tcpStateName(stateColumns()[stateIndex]);
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

QList<std::uint16_t> PortSummaryModel::portsOf(const Member &member,
                                               const QSet<std::uint16_t> &listening) const
{
    QList<std::uint16_t> ports;
    if (listening.contains(member.localPort) || member.localPort < m_ephemeralStart)
        ports << member.localPort;
    const bool remoteMatters = ports.isEmpty() || listening.contains(member.remotePort) ||
                               member.remotePort < m_ephemeralStart;
    if (member.state != TcpState::Listen && member.remotePort != 0 && remoteMatters &&
        member.remotePort != member.localPort)
        ports << member.remotePort;
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

void PortSummaryModel::applyBatch(const PollBatch &batch)
{
    if (batch.stats.ephemeralPortStart > 0)
        m_ephemeralStart = batch.stats.ephemeralPortStart;
    bool changed = false;
    for (const SocketEvent &event : batch.events) {
        const SocketRecord &s = event.connection.socket;
        if (event.kind == EventKind::Gone)
            changed |= m_members.remove(event.connection.id) > 0;
        else {
            m_members.insert(event.connection.id, Member{s.state, s.local.port, s.remote.port});
            changed = true;
        }
    }
    if (changed)
        rebuild();
}

void PortSummaryModel::rebuild()
{
    // Recount from the members (O(sockets)), then apply the difference to the
    // rows so views keep their selection.
    QSet<std::uint16_t> listening;
    for (const Member &member : std::as_const(m_members)) {
        if (member.state == TcpState::Listen)
            listening.insert(member.localPort);
    }
    QMap<std::uint16_t, Row> fresh;
    for (const Member &member : std::as_const(m_members)) {
        for (const std::uint16_t port : portsOf(member, listening)) {
            Row &row = fresh[port];
            row.port = port;
            row.listening = listening.contains(port);
            ++row.counts[static_cast<std::size_t>(member.state)];
            ++row.total;
        }
    }

    for (int i = static_cast<int>(m_rows.size()) - 1; i >= 0; --i) {
        if (fresh.contains(m_rows[i].port))
            continue;
        beginRemoveRows({}, i, i);
        m_rows.removeAt(i);
        endRemoveRows();
    }
    m_rowByPort.clear();
    for (int i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        const Row &now = fresh.value(row.port);
        m_rowByPort.insert(row.port, i);
        if (row.counts != now.counts || row.listening != now.listening) {
            row = now;
            Q_EMIT dataChanged(index(i, 0), index(i, columnCount() - 1));
        }
    }
    for (auto it = fresh.cbegin(); it != fresh.cend(); ++it) {
        if (m_rowByPort.contains(it.key()))
            continue;
        const int position = static_cast<int>(m_rows.size());
        beginInsertRows({}, position, position);
        m_rows.append(it.value());
        m_rowByPort.insert(it.key(), position);
        endInsertRows();
    }
}

} // namespace sockscope
