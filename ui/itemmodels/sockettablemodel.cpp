// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemmodels/sockettablemodel.h"

#include "events/connectionhistory.h"
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

void SocketTableModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_rowById.clear();
    m_stateCounts = {};
    m_highlighted.clear();
    m_peerMark = 0;
    endResetModel();
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
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole)
        return headerToolTip(section);
    if (role != Qt::DisplayRole)
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

QString SocketTableModel::headerToolTip(int section)
{
    switch (section) {
    case StateColumn:
        return tr("The TCP state the kernel reports now. BOUND: bound with bind() but neither "
                  "listening nor connected (ss: BOUND-INACTIVE); it still holds its port.");
    case TimeInStateColumn:
        return tr("How long the socket has been in this state. ≥: at least that long, it "
                  "was already in it when SockScope first saw it.");
    case TimerColumn:
        return tr("The kernel timer running on the socket and how long it has left: "
                  "retransmit, keepalive, probe (zero window), timewait (TIME_WAIT's 60 s) or "
                  "fin-wait-2 (an orphaned FIN_WAIT2's tcp_fin_timeout). /N: retransmits so far.");
    case OwnerColumn:
        return tr("The process holding the socket's descriptor (pid and command). \"lab\": one "
                  "of the lab's. Empty: no process holds it, the kernel finishes the close.");
    case RecvQColumn:
        return tr("Bytes received and not yet read by the process (for LISTEN: connections "
                  "waiting for accept()).");
    case SendQColumn:
        return tr("Bytes sent and not yet acknowledged by the peer (for LISTEN: the backlog).");
    case InodeColumn:
        return tr("The socket's inode: /proc/PID/fd links to socket:[inode].");
    default:
        return {};
    }
}

QVariant SocketTableModel::display(const Row &row, int column, std::int64_t now) const
{
    const SocketRecord &s = row.view.socket;
    switch (column) {
    case StateColumn:
        // Gone rows keep CLOSED: a destroyed listener has no peer either.
        return row.goneMs >= 0 ? tcpStateDisplayName(s.state) : socketStateDisplayName(s);
    case LocalColumn:
        return s.local.text(s.family);
    case RemoteColumn:
        return s.remote.text(s.family);
    case OwnerColumn: // the tooltip has the whole command line
        return labOwned(row) ? tr("lab · %1").arg(shortOwnerText(row.view.owner))
                             : shortOwnerText(row.view.owner);
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

namespace {
// The same for both ends of a connection: its two ports, lower first. Ports
// only (no addresses): cheap enough for millions of comparisons, and a tie
// of two different connections only orders them arbitrarily.
std::uint32_t portPairKey(const SocketRecord &socket)
{
    const auto [low, high] = std::minmax(socket.local.port, socket.remote.port);
    return std::uint32_t{low} << 16 | high;
}
} // namespace

std::optional<bool> SocketTableModel::lessThan(int left, int right, int column) const
{
    if (left < 0 || right < 0 || left >= m_rows.size() || right >= m_rows.size())
        return std::nullopt;
    const Row &a = m_rows[left];
    const Row &b = m_rows[right];
    const SocketRecord &x = a.view.socket;
    const SocketRecord &y = b.view.socket;
    // A real order among equal keys doubles a sort's cost at 100,000 rows and
    // adds a third to a 10,000-row poll (bench_model): only a table small
    // enough to be read row by row gets it.
    const bool pairs = m_rows.size() <= kPairedSortRows;
    const auto by = [&x, &y, pairs](auto keyX, auto keyY) {
        if (keyX != keyY)
            return keyX < keyY;
        return pairs && portPairKey(x) < portPairKey(y);
    };
    switch (column) {
    case StateColumn:
        return by(x.state, y.state);
    case LocalColumn:
        return by(x.local.port, y.local.port);
    case RemoteColumn:
        return by(x.remote.port, y.remote.port);
    case TimeInStateColumn: // longer in state: entered earlier
        return by(b.view.stateSinceMs, a.view.stateSinceMs);
    case TimerColumn: {
        const std::int64_t now = m_clock();
        const auto key = [now](const Row &row) {
            return row.view.socket.timer == TimerKind::Off
                       ? std::int64_t{-1}
                       : remainingMs(row.view.socket, row.observedMs, now);
        };
        return by(key(a), key(b));
    }
    case RecvQColumn:
        return by(x.recvQ, y.recvQ);
    case SendQColumn:
        return by(x.sendQ, y.sendQ);
    case FamilyColumn: // "ipv4" before "ipv6"
        return by(x.family, y.family);
    case UidColumn:
        return by(x.uid, y.uid);
    case InodeColumn:
        return by(x.inode, y.inode);
    default:
        return std::nullopt;
    }
}

QVariant SocketTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row &row = m_rows[index.row()];
    if (role == Qt::BackgroundRole && m_peerMark != 0 && row.view.id == m_peerMark) {
        QColor peer = QGuiApplication::palette().color(QPalette::Highlight);
        peer.setAlpha(60);
        return QBrush(peer);
    }
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
        return toolTip(row, index.column(), now);
    default:
        return {};
    }
}

QVariant SocketTableModel::toolTip(const Row &row, int column, std::int64_t now) const
{
    // Narrow columns elide: the tooltip holds the whole text.
    if (column == StateColumn && row.goneMs < 0 && isBoundInactive(row.view.socket))
        return tr("BOUND: bound with bind(), neither listening nor connected (the kernel says "
                  "CLOSE, ss BOUND-INACTIVE). It holds its port all the same.");
    if (column != OwnerColumn)
        return column == LocalColumn || column == RemoteColumn || column == TimerColumn
                   ? display(row, column, now)
                   : QVariant();
    if (row.view.owner.ownership == Ownership::Orphaned)
        return tr("No process holds this socket: the kernel keeps it (TIME_WAIT, FIN_WAIT2), "
                  "or its descriptor was closed while accept() still ran on it.");
    if (row.view.owner.ownership == Ownership::Unknown)
        return tr("It belongs to a process whose descriptors we may not read: run as root "
                  "to see every owner.");
    return labOwned(row) ? tr("lab · %1").arg(ownerText(row.view.owner))
                         : ownerText(row.view.owner);
}

bool SocketTableModel::labOwned(const Row &row) const
{
    return std::any_of(
        row.view.owner.owners.cbegin(), row.view.owner.owners.cend(),
        [this](const OwnerProcess &process) { return m_labPids.contains(process.pid); });
}

int SocketTableModel::peerRowOf(std::uint64_t connectionId) const
{
    const int self = rowOf(connectionId);
    if (self < 0 || m_rows[self].view.socket.remote.port == 0)
        return -1;
    const ConnectionKey peer = peerKeyOf(m_rows[self].view.socket);
    for (int i = 0; i < m_rows.size(); ++i) {
        if (i != self && connectionKeyOf(m_rows[i].view.socket) == peer)
            return i;
    }
    return -1;
}

void SocketTableModel::setPeerMark(std::uint64_t connectionId)
{
    if (connectionId == m_peerMark)
        return;
    const int before = rowOf(m_peerMark);
    m_peerMark = connectionId;
    for (const int row : {before, rowOf(connectionId)}) {
        if (row >= 0)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1), {Qt::BackgroundRole});
    }
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

void SocketTableModel::count(const Row &row, int delta)
{
    if (row.goneMs < 0)
        m_stateCounts[static_cast<std::size_t>(row.view.socket.state)] += delta;
}

namespace {
// What the table shows of a connection (countdowns aside, which the clock
// moves): equal means no repaint, no re-filtering, no re-sorting.
bool sameOnScreen(const ConnectionView &a, const ConnectionView &b)
{
    const SocketRecord &x = a.socket;
    const SocketRecord &y = b.socket;
    return x.state == y.state && x.local == y.local && x.remote == y.remote &&
           x.family == y.family && x.recvQ == y.recvQ && x.sendQ == y.sendQ && x.timer == y.timer &&
           x.expiresMs == y.expiresMs && x.uid == y.uid && x.inode == y.inode &&
           a.stateSinceMs == b.stateSinceMs &&
           a.stateSinceIsLowerBound == b.stateSinceIsLowerBound && a.owner == b.owner;
}
} // namespace

void SocketTableModel::upsert(const ConnectionView &view, std::int64_t timeMs, bool initial,
                              Pending &pending)
{
    const auto found = m_rowById.constFind(view.id);
    if (found != m_rowById.constEnd()) {
        Row &row = m_rows[found.value()];
        const bool visible = row.goneMs >= 0 || !sameOnScreen(row.view, view);
        count(row, -1);
        row.view = view;
        row.observedMs = timeMs;
        row.goneMs = -1;
        count(row, +1);
        if (visible)
            pending.changed.push_back(found.value());
        return;
    }
    const auto fresh = pending.freshById.constFind(view.id);
    if (fresh != pending.freshById.constEnd()) {
        Row &row = pending.fresh[fresh.value()];
        row.view = view;
        row.observedMs = timeMs;
        row.goneMs = -1;
        return;
    }
    pending.freshById.insert(view.id, pending.fresh.size());
    // Sockets that existed before we looked are not "new": no highlight for them.
    pending.fresh.append(Row{view, timeMs, initial ? timeMs - kHighlightMs : timeMs, -1});
}

void SocketTableModel::markGone(std::uint64_t id, std::int64_t timeMs, Pending &pending)
{
    const auto found = m_rowById.constFind(id);
    if (found != m_rowById.constEnd()) {
        Row &row = m_rows[found.value()];
        count(row, -1);
        row.goneMs = timeMs;
        pending.changed.push_back(found.value());
        return;
    }
    // Appeared and went within one batch: shown, marked, for a moment all the same.
    const auto fresh = pending.freshById.constFind(id);
    if (fresh != pending.freshById.constEnd())
        pending.fresh[fresh.value()].goneMs = timeMs;
}

void SocketTableModel::signalChanged(std::vector<int> &rows, const QList<int> &roles)
{
    // One signal per run of adjacent rows, not one per row. A sorting proxy
    // re-sorts for each signal (O(rows) and a layout change each): past a few
    // dozen runs, one signal over the whole span (one sort) costs less.
    constexpr std::size_t kMaxRuns = 32;
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    if (rows.empty())
        return;
    std::size_t runs = 1;
    for (std::size_t i = 1; i < rows.size(); ++i)
        runs += rows[i] != rows[i - 1] + 1;
    if (runs > kMaxRuns) {
        Q_EMIT dataChanged(index(rows.front(), 0), index(rows.back(), ColumnCount - 1), roles);
        return;
    }
    for (std::size_t first = 0; first < rows.size();) {
        std::size_t last = first;
        while (last + 1 < rows.size() && rows[last + 1] == rows[last] + 1)
            ++last;
        Q_EMIT dataChanged(index(rows[first], 0), index(rows[last], ColumnCount - 1), roles);
        first = last + 1;
    }
}

void SocketTableModel::appendFresh(Pending &pending)
{
    if (pending.fresh.isEmpty())
        return;
    const auto position = static_cast<int>(m_rows.size());
    beginInsertRows({}, position, position + static_cast<int>(pending.fresh.size()) - 1);
    m_rows.reserve(m_rows.size() + pending.fresh.size());
    for (Row &row : pending.fresh) {
        count(row, +1);
        if (row.goneMs < 0 && row.appearedMs + kHighlightMs > row.observedMs)
            m_highlighted.push_back(row.view.id);
        m_rowById.insert(row.view.id, static_cast<int>(m_rows.size()));
        m_rows.append(std::move(row));
    }
    endInsertRows();
}

void SocketTableModel::applyBatch(const PollBatch &batch)
{
    Pending pending;
    for (const SocketEvent &event : batch.events) {
        if (event.kind == EventKind::Gone)
            markGone(event.connection.id, event.timeMs, pending);
        else
            upsert(event.connection, batch.timeMs, event.initial, pending);
    }
    for (const ConnectionView &view : batch.updated)
        upsert(view, batch.timeMs, false, pending);
    signalChanged(pending.changed);
    appendFresh(pending);
}

void SocketTableModel::holdRemovals(bool hold)
{
    if (hold == m_removalsHeld)
        return;
    m_removalsHeld = hold;
    if (!hold)
        removeExpired(m_clock());
}

void SocketTableModel::removeExpired(std::int64_t nowMs)
{
    if (m_removalsHeld)
        return;
    const auto expired = [nowMs](const Row &row) {
        return row.goneMs >= 0 && nowMs - row.goneMs >= kHighlightMs;
    };
    std::size_t runs = 0;
    for (int i = 0; i < m_rows.size(); ++i)
        runs += expired(m_rows[i]) && (i == 0 || !expired(m_rows[i - 1]));
    if (runs == 0)
        return;
    if (runs > kMaxRemovalRuns) {
        removeScattered(expired);
        return;
    }
    int lowest = -1;
    // Adjacent rows (often gone together) leave in one removal.
    for (int last = static_cast<int>(m_rows.size()) - 1; last >= 0; --last) {
        if (!expired(m_rows[last]))
            continue;
        int first = last;
        while (first > 0 && expired(m_rows[first - 1]))
            --first;
        beginRemoveRows({}, first, last);
        for (int i = first; i <= last; ++i)
            m_rowById.remove(m_rows[i].view.id);
        m_rows.remove(first, last - first + 1);
        endRemoveRows();
        lowest = first;
        last = first;
    }
    if (lowest >= 0)
        reindexFrom(lowest);
}

void SocketTableModel::removeScattered(const std::function<bool(const Row &)> &expired)
{
    // One removal per run moves the rest of the table and makes a sorting
    // proxy remap every row, once per run: seconds at 100,000 rows when the
    // TIME_WAIT sockets of a busy server expire together. Instead the expired
    // rows move to the end in one layout change (a permutation, so selections
    // and the current row follow their connections) and leave in one removal.
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::NoLayoutChangeHint);
    std::vector<int> newRow(static_cast<std::size_t>(m_rows.size()));
    int kept = 0;
    for (int i = 0; i < m_rows.size(); ++i)
        kept += !expired(m_rows[i]);
    for (int i = 0, nextKept = 0, nextGone = kept; i < m_rows.size(); ++i)
        newRow[static_cast<std::size_t>(i)] = expired(m_rows[i]) ? nextGone++ : nextKept++;
    std::stable_partition(m_rows.begin(), m_rows.end(),
                          [&expired](const Row &row) { return !expired(row); });
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex &index : before)
        after << createIndex(newRow[static_cast<std::size_t>(index.row())], index.column());
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::NoLayoutChangeHint);

    beginRemoveRows({}, kept, static_cast<int>(m_rows.size()) - 1);
    for (int i = kept; i < m_rows.size(); ++i)
        m_rowById.remove(m_rows[i].view.id);
    m_rows.resize(kept);
    endRemoveRows();
    reindexFrom(0);
}

void SocketTableModel::endHighlights(std::int64_t nowMs)
{
    std::vector<int> ended;
    while (!m_highlighted.empty()) {
        const int row = rowOf(m_highlighted.front());
        if (row >= 0 && nowMs - m_rows[row].appearedMs < kHighlightMs)
            break;
        if (row >= 0)
            ended.push_back(row);
        m_highlighted.pop_front();
    }
    signalChanged(ended, {Qt::BackgroundRole, HighlightRole});
}

void SocketTableModel::tick(std::int64_t nowMs)
{
    removeExpired(nowMs);
    endHighlights(nowMs);
    if (m_rows.isEmpty())
        return;
    const int last = static_cast<int>(m_rows.size()) - 1;
    Q_EMIT dataChanged(index(0, TimeInStateColumn), index(last, TimerColumn),
                       {Qt::DisplayRole, SortRole, Qt::BackgroundRole, HighlightRole});
}

} // namespace sockscope
