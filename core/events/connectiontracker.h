// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <QHash>
#include <QSet>
#include <vector>

namespace sockscope {

// Turns successive snapshots into events and keeps each connection's history.
// A socket is followed by its cookie; a connection by its 4-tuple: when a
// closed socket is replaced by the kernel's timewait socket (new cookie, inode
// 0, state FIN_WAIT2 or TIME_WAIT) in the same interval, the history carries on.
// Pure logic, no I/O: the poller feeds it dumps, tests feed it records.
class ConnectionTracker
{
public:
    using OwnerFunction = std::function<OwnerLookup(const SocketRecord &)>;

    struct Diff
    {
        std::vector<SocketEvent> events;
        // Connections whose state did not change but whose queues, timer,
        // retransmits or owner did (expiry only when it jumps, not as it counts down).
        std::vector<ConnectionView> updated;
        bool empty() const { return events.empty() && updated.empty(); }
    };

    explicit ConnectionTracker(std::size_t goneHistoryLimit = 2000);

    // Applies a complete snapshot observed at timeMs. The first call's Appeared
    // events are marked initial. `owners` may be empty (every owner Unknown).
    Diff apply(const std::vector<SocketRecord> &snapshot, std::int64_t timeMs,
               const OwnerFunction &owners = {});

    // Applies destroy notifications; returns nothing itself. A connection we know
    // is not declared gone yet (the kernel also destroys a socket when it hands
    // the connection to a timewait socket): the next apply() decides, dating the
    // end by the notice. One never seen by a poll is held until the next apply():
    // if its timewait successor shows up there, the connection simply appears in
    // that state; otherwise it appears and goes, with source Destroy. Notices of
    // sockets that never had a peer (a failed bind, an unused socket) are dropped.
    void applyDestroyed(const std::vector<SocketRecord> &destroyed, std::int64_t timeMs);

    // A live connection, or one gone recently (bounded history). nullptr if unknown.
    const ConnectionView *find(std::uint64_t id) const;
    const QHash<std::uint64_t, ConnectionView> &live() const { return m_live; }
    bool started() const { return m_started; }

private:
    // One apply() in progress, phase by phase: known sockets updated, the
    // vanished ones collected, the fresh ones placed (as timewait successors
    // or new connections), notices settled, the rest retired.
    struct PollPass
    {
        std::int64_t timeMs;
        bool initial;
        OwnerFunction owners;
        Diff diff;
        QSet<std::uint64_t> seen;
        std::vector<const SocketRecord *> fresh;
        std::vector<std::uint64_t> vanished;
        QHash<ConnectionKey, std::uint64_t> vanishedByKey;
        QSet<std::uint64_t> continued; // vanished, but carried on by a successor
    };
    void updateKnown(const std::vector<SocketRecord> &snapshot, PollPass &pass);
    void collectVanished(PollPass &pass);
    void placeFresh(PollPass &pass);
    void settleUnseenDestroyed(PollPass &pass);
    void retireVanished(PollPass &pass);

    ConnectionView &createConnection(const SocketRecord &record, std::int64_t timeMs, bool initial);
    void changeState(ConnectionView &view, const SocketRecord &record, std::int64_t timeMs,
                     EventSource source, Diff &diff);
    void retire(std::uint64_t id, std::int64_t timeMs, EventSource source, Diff &diff);
    static SocketEvent makeEvent(EventKind kind, const ConnectionView &view, std::int64_t timeMs,
                                 EventSource source);

    QHash<std::uint64_t, std::uint64_t> m_idByCookie;
    QHash<std::uint64_t, ConnectionView> m_live;
    QHash<std::uint64_t, std::int64_t> m_destroyedAt; // id -> time of the destroy notice
    struct Unseen
    {
        SocketRecord record;
        std::int64_t destroyedMs;
    };
    std::vector<Unseen> m_unseenDestroyed; // notices of sockets no poll saw
    std::deque<ConnectionView> m_gone;
    std::size_t m_goneLimit;
    std::uint64_t m_nextId = 1;
    bool m_started = false;
};

} // namespace sockscope
