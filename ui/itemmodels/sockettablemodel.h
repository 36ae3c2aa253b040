// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "poller/pollbatch.h"

#include <array>
#include <deque>
#include <functional>
#include <optional>
#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <vector>

namespace sockscope {

// The live socket table. Updated incrementally from poll batches, never
// reset, so selection and scroll position survive every poll; a batch costs
// in proportion to what it changed: its new rows are inserted in one block,
// its changed rows are signalled in coalesced ranges, and a row whose shown
// values did not change is not signalled at all. Rows that appeared are
// marked for a moment and rows that vanished stay, marked, for a moment
// before removal, as TCPView does.
class SocketTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        StateColumn,
        LocalColumn,
        RemoteColumn,
        TimeInStateColumn,
        TimerColumn,
        OwnerColumn,
        RecvQColumn,
        SendQColumn,
        FamilyColumn,
        UidColumn,
        InodeColumn,
        ColumnCount
    };
    enum Role
    {
        SortRole = Qt::UserRole + 1, // numbers for numeric columns
        ConnectionIdRole,
        StateRole, // int(TcpState)
        LocalPortRole,
        RemotePortRole,
        HighlightRole, // 1 appeared recently, -1 vanished, 0 otherwise
        LabOwnedRole,  // held by the lab: this process or one of its server processes
    };
    static constexpr std::int64_t kHighlightMs = 2000;

    explicit SocketTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    void applyBatch(const PollBatch &batch);
    // Forgets every row: the window shows another source now.
    void clear();
    // Refreshes clock-driven cells (time in state, countdowns), repaints rows
    // whose "new" highlight ended and removes vanished rows whose highlight is
    // over. `nowMs` is monotonic.
    void tick(std::int64_t nowMs);

    // Tests replace the clock; defaults to monotonicMs().
    void setClock(std::function<std::int64_t()> clock) { m_clock = std::move(clock); }

    // While held (a mouse button is down on the table) vanished rows stay past
    // their moment, so the rows under the pointer do not move and a click lands
    // on the row it was aimed at; releasing removes those whose moment is over.
    void holdRemovals(bool hold);
    bool removalsHeld() const { return m_removalsHeld; }

    // The processes whose sockets are the lab's: marked "lab" in the owner column.
    void setLabPids(const QSet<int> &pids);

    int rowOf(std::uint64_t connectionId) const { return m_rowById.value(connectionId, -1); }
    // The row of the other end of `connectionId` when it is on this machine
    // too (mirrored 4-tuple, still listed), or -1. A scan: call it on a
    // selection, not per row.
    int peerRowOf(std::uint64_t connectionId) const;
    // Marks the selected connection's other end with a subtle background (0: none).
    void setPeerMark(std::uint64_t connectionId);
    const ConnectionView *connectionAt(int row) const;
    // SortRole's order without building QVariants (a sort of 100,000 rows
    // compares a few million times). nullopt: compare SortRole as usual.
    // Equal keys fall back to the connection's two ports, so both ends of a
    // loopback connection sit side by side (up to kPairedSortRows rows).
    std::optional<bool> lessThan(int left, int right, int column) const;
    static constexpr qsizetype kPairedSortRows = 5000;

    // Rows per state, vanished rows excluded (the state diagram's counts),
    // kept as batches apply rather than recounted.
    using StateCounts = std::array<int, kTcpStateCount>;
    const StateCounts &stateCounts() const { return m_stateCounts; }

private:
    struct Row
    {
        ConnectionView view;
        std::int64_t observedMs = 0; // when view.socket was dumped (countdowns start there)
        std::int64_t appearedMs = 0;
        std::int64_t goneMs = -1;
    };
    QVariant display(const Row &row, int column, std::int64_t now) const;
    QVariant toolTip(const Row &row, int column, std::int64_t now) const;
    static QString headerToolTip(int section);
    bool labOwned(const Row &row) const;
    QVariant sortKey(const Row &row, int column, std::int64_t now) const;
    // One batch in progress: rows changed in place and rows to append.
    struct Pending
    {
        std::vector<int> changed;
        QList<Row> fresh;
        QHash<std::uint64_t, qsizetype> freshById;
    };
    void upsert(const ConnectionView &view, std::int64_t timeMs, bool initial, Pending &pending);
    void markGone(std::uint64_t id, std::int64_t timeMs, Pending &pending);
    void signalChanged(std::vector<int> &rows, const QList<int> &roles = {});
    void endHighlights(std::int64_t nowMs);
    void appendFresh(Pending &pending);
    void count(const Row &row, int delta);
    void removeExpired(std::int64_t nowMs);
    // Past this many runs of expired rows, removeScattered() instead.
    static constexpr std::size_t kMaxRemovalRuns = 32;
    void removeScattered(const std::function<bool(const Row &)> &expired);
    void reindexFrom(int row);

    QList<Row> m_rows;
    QHash<std::uint64_t, int> m_rowById;
    StateCounts m_stateCounts{};
    QSet<int> m_labPids;
    // Rows marked new, oldest first (appended as batches come, in time order):
    // their whole row must repaint when the mark ends, batch or no batch.
    std::deque<std::uint64_t> m_highlighted;
    std::function<std::int64_t()> m_clock;
    std::uint64_t m_peerMark = 0;
    bool m_removalsHeld = false;
};

} // namespace sockscope
