// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"
#include "trace/traceevent.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
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
    // With tracing on, dumpStartNs (CLOCK_MONOTONIC) is when the dump began: a connection the
    // trace changed since then keeps the trace's word, because the dump may
    // have read it before the change.
    // onlyPort: the snapshot is a dump filtered on that port (local or
    // remote), so only connections touching it can have vanished.
    Diff apply(const std::vector<SocketRecord> &snapshot, std::int64_t timeMs,
               const OwnerFunction &owners = {}, std::int64_t dumpStartNs = -1,
               std::optional<std::uint16_t> onlyPort = std::nullopt);

    // Tracing on: transitions come from applyTrace() and a poll only fills in
    // what the trace cannot see (queues, timers, owners, the timewait socket's
    // move from FIN_WAIT2 to TIME_WAIT, transitions lost to ring-buffer drops).
    void setTracing(bool tracing) { m_tracing = tracing; }
    bool tracing() const { return m_tracing; }

    // Applies one transition or reset the kernel's tracepoints reported, at its
    // exact time, adding its events to `diff`. Events must come in time order.
    // The kernel's facts it respects (core/trace/traceevent.h):
    // - LISTEN -> SYN_RECV is a new connection (the accepted socket cloned from
    //   the listener), joined by its 4-tuple to a request socket a dump saw.
    // - FIN_WAIT2 -> CLOSE and CLOSING -> CLOSE without a reset are the switch
    //   to a timewait socket: the connection goes to TIME_WAIT and lives on;
    //   its end comes from a dump or the destroy notice.
    // - CLOSE -> SYN_SENT carries local port 0; later events fill it in.
    void applyTrace(const TraceEvent &event, Diff &diff);

    // Applies destroy notifications (when polling: while tracing, every full
    // socket's end is traced and the poller leaves the groups). Returns nothing itself:
    // a connection we know is not declared gone yet (the kernel also destroys a
    // socket when it hands the connection to a timewait socket): the next
    // apply() decides, dating the end by the notice. One never seen by a poll is
    // held until the next apply(): if its timewait successor shows up there, the
    // connection simply appears in that state; otherwise it appears and goes,
    // with source Destroy. Notices of sockets that never had a peer (a failed
    // bind, an unused socket) are dropped.
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
        std::int64_t timeNs;      // when the dump ended
        std::int64_t dumpStartNs; // < 0: not tracing
        std::optional<std::uint16_t> onlyPort;
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

    // Times in CLOCK_MONOTONIC nanoseconds; views keep milliseconds.
    ConnectionView &createConnection(const SocketRecord &record, std::int64_t timeNs, bool initial);
    void changeState(ConnectionView &view, const SocketRecord &record, std::int64_t timeNs,
                     EventSource source, Diff &diff);
    void retire(std::uint64_t id, std::int64_t timeNs, EventSource source, Diff &diff);
    // The trace changed this connection (or closed this cookie) after the dump
    // of `pass` began, so the dump's view of it is older than ours.
    bool tracedSinceDump(std::uint64_t id, const PollPass &pass) const;
    bool closedSinceDump(std::uint64_t cookie, const PollPass &pass) const;
    // Rebuilds m_joinableByKey after a dump.
    void indexJoinable();
    // applyTrace's pieces.
    ConnectionView *findTraced(const TraceEvent &event);
    void traceAppeared(const TraceEvent &event, Diff &diff);
    void traceReset(const TraceEvent &event, Diff &diff);
    // A connection that ended a moment ago, by its last socket's cookie.
    const ConnectionView *recentlyGone(std::uint64_t cookie) const;
    void traceTransition(ConnectionView &view, const TraceEvent &event, Diff &diff);
    static SocketRecord recordOf(const TraceEvent &event, TcpState state);
    static SocketEvent makeEvent(EventKind kind, const ConnectionView &view, std::int64_t timeNs,
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
    bool m_tracing = false;
    QHash<std::uint64_t, std::int64_t> m_tracedAtNs; // id -> its last traced event
    QHash<std::uint64_t, std::int64_t> m_closedAtNs; // cookie -> traced CLOSE, until a poll
    QSet<std::uint64_t> m_resetSeen;                 // ids that sent or received a RST
    // Connections another socket may take over, by 4-tuple: request sockets
    // (SYN_RECV) and timewait sockets still in FIN_WAIT2. Checked on use.
    QMultiHash<ConnectionKey, std::uint64_t> m_joinableByKey;
};

} // namespace sockscope
