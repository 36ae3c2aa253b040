// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "poller/pollbatch.h"

#include <functional>
#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>

namespace sockscope {

// The live socket table. Updated incrementally from poll batches: rows are
// inserted, changed and removed one by one, never reset, so selection and
// scroll position survive every poll. Rows that appeared are marked for a
// moment and rows that vanished stay, marked, for a moment before removal,
// as TCPView does.
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
        RecvQColumn,
        SendQColumn,
        OwnerColumn,
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
    // Refreshes clock-driven cells (time in state, countdowns) and removes
    // vanished rows whose highlight is over. `nowMs` is monotonic.
    void tick(std::int64_t nowMs);

    // Tests replace the clock; defaults to monotonicMs().
    void setClock(std::function<std::int64_t()> clock) { m_clock = std::move(clock); }

    // The processes whose sockets are the lab's: marked "lab" in the owner column.
    void setLabPids(const QSet<int> &pids);

    int rowOf(std::uint64_t connectionId) const { return m_rowById.value(connectionId, -1); }
    const ConnectionView *connectionAt(int row) const;

private:
    struct Row
    {
        ConnectionView view;
        std::int64_t observedMs = 0; // when view.socket was dumped (countdowns start there)
        std::int64_t appearedMs = 0;
        std::int64_t goneMs = -1;
    };
    QVariant display(const Row &row, int column, std::int64_t now) const;
    bool labOwned(const Row &row) const;
    QVariant sortKey(const Row &row, int column, std::int64_t now) const;
    void upsert(const ConnectionView &view, std::int64_t timeMs, bool initial);
    void markGone(std::uint64_t id, std::int64_t timeMs);
    void removeExpired(std::int64_t nowMs);
    void reindexFrom(int row);

    QList<Row> m_rows;
    QHash<std::uint64_t, int> m_rowById;
    QSet<int> m_labPids;
    std::function<std::int64_t()> m_clock;
};

} // namespace sockscope
