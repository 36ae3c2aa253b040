// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/connectionhistory.h"

#include <cstdint>
#include <functional>
#include <QAbstractTableModel>
#include <QList>

namespace sockscope {

// "ended at 14:03:27, 8.2 s ago": an ended connection's end, on the wall
// clock, from monotonic milliseconds.
QString endedAtText(std::int64_t endedMs, std::int64_t nowMs);
// "14:03:27"
QString endedClockText(std::int64_t endedMs, std::int64_t nowMs);

// The ended connections a ConnectionHistory keeps, newest first. New ends come
// in at the top and pruned ones leave at the bottom, as row insertions and
// removals, so a selection in the list stays on its connection.
class HistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        EndedColumn,
        StateColumn,
        LocalColumn,
        PeerColumn,
        OwnerColumn,
        ColumnCount
    };
    static constexpr int ConnectionIdRole = Qt::UserRole + 1;

    explicit HistoryModel(const ConnectionHistory *history, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // Call after the history applied a batch or was pruned.
    void refresh();
    // After the history was replaced by another (another source shown).
    void reload();
    std::uint64_t idAt(int row) const;
    // Tests replace the clock; defaults to monotonicMs().
    void setClock(std::function<std::int64_t()> clock) { m_clock = std::move(clock); }

private:
    const ConnectionHistory *m_history;
    QList<std::uint64_t> m_ids; // newest first
    std::uint64_t m_generation = 0;
    std::function<std::int64_t()> m_clock;
};

} // namespace sockscope
