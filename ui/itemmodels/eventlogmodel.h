// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lab/labtypes.h"
#include "poller/pollbatch.h"

#include <deque>
#include <QAbstractTableModel>
#include <variant>
#include <vector>

class QIODevice;

namespace sockscope {

// Every event, newest last: appeared, state changes, resets, gone, lab actions
// and lab errors, timed to the microsecond, with where each came from (trace,
// poll, destroy notice, lab). Bounded: past the limit the oldest rows are
// dropped (and counted).
class EventLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        TimeColumn,
        KindColumn,
        SourceColumn, // trace, poll, destroy, lab
        ChangeColumn,
        LocalColumn,
        RemoteColumn,
        DetailColumn,
        ColumnCount
    };
    enum Role
    {
        ConnectionIdRole = Qt::UserRole + 1,
        KindRole,
        SortRole
    };

    explicit EventLogModel(int limit = 20000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // Initial snapshot events are not logged: they are what was there, not what happened.
    void applyBatch(const PollBatch &batch);
    void appendLabEvent(const LabEvent &event);
    void clear();
    int dropped() const { return m_dropped; }

    struct LabMention
    {
        std::int64_t timeMs;
        QString text;
        bool error;
    };
    // Lab actions and errors whose text names one of these endpoints
    // ("127.0.0.1:10001"): what touched a connection, for its timeline.
    QList<LabMention> labMentions(const QStringList &endpoints) const;
    // The resets the trace saw on one connection (text "reset sent" or
    // "reset received"), oldest first, for its timeline.
    QList<LabMention> resetMentions(std::uint64_t connectionId) const;

    // Writes the rows in [rows] (all when empty) as JSON lines or CSV (RFC 4180).
    bool exportJsonLines(QIODevice *device, const QList<int> &rows = {}) const;
    bool exportCsv(QIODevice *device, const QList<int> &rows = {}) const;

private:
    struct Entry
    {
        std::int64_t timeMs = 0;
        std::int64_t timeNs = 0; // CLOCK_MONOTONIC, exact for traced events
        QString kind;            // appeared, state, reset sent, reset received, gone, lab, error
        QString origin;          // trace, poll, destroy, lab
        QString change;
        QString local;
        QString remote;
        QString detail;
        std::uint64_t connectionId = 0;
        // What happened, kept whole: its JSON is built only when exported.
        std::variant<SocketEvent, LabEvent> source;
    };
    void append(Entry entry);
    void appendAll(std::vector<Entry> entries);
    QString cell(const Entry &entry, int column) const;

    std::deque<Entry> m_entries;
    int m_limit;
    int m_dropped = 0;
    std::int64_t m_originNs = -1;
};

} // namespace sockscope
