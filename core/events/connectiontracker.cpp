// SPDX-License-Identifier: GPL-3.0-or-later
#include "events/connectiontracker.h"

#include <cstdlib>

namespace sockscope {

namespace {
// A countdown is expected to shrink between polls; only a jump (a timer that
// was re-armed) is worth telling the views about.
constexpr std::int64_t kExpiryJumpMs = 1000;
constexpr std::int64_t kTimeWaitLengthMs = 60000;
constexpr std::int64_t kNsPerMs = 1'000'000;

bool visiblyDifferent(const SocketRecord &a, const SocketRecord &b)
{
    if (a.recvQ != b.recvQ || a.sendQ != b.sendQ || a.timer != b.timer || a.retrans != b.retrans ||
        a.inode != b.inode)
        return true;
    const auto drift =
        static_cast<std::int64_t>(a.expiresMs) - static_cast<std::int64_t>(b.expiresMs);
    return drift < 0 || drift > kExpiryJumpMs;
}

bool isTimewaitSuccessor(const SocketRecord &record)
{
    return record.inode == 0 &&
           (record.state == TcpState::TimeWait || record.state == TcpState::FinWait2);
}
} // namespace

ConnectionTracker::ConnectionTracker(std::size_t goneHistoryLimit) : m_goneLimit(goneHistoryLimit)
{
}

SocketEvent ConnectionTracker::makeEvent(EventKind kind, const ConnectionView &view,
                                         std::int64_t timeNs, EventSource source)
{
    SocketEvent event;
    event.timeMs = timeNs / kNsPerMs;
    event.timeNs = timeNs;
    event.kind = kind;
    event.source = source;
    event.connection = view;
    return event;
}

ConnectionView &ConnectionTracker::createConnection(const SocketRecord &record, std::int64_t timeNs,
                                                    bool initial)
{
    const std::int64_t timeMs = timeNs / kNsPerMs;
    ConnectionView view;
    view.id = m_nextId++;
    view.socket = record;
    view.firstSeenMs = timeMs;
    view.stateSinceMs = timeMs;
    view.stateSinceIsLowerBound = initial;
    // TIME_WAIT always lasts 60 s on Linux (TCP_TIMEWAIT_LEN), so its timer
    // dates the entry even for a socket that was there before we looked.
    if (record.state == TcpState::TimeWait && record.timer == TimerKind::TimeWait &&
        record.expiresMs <= kTimeWaitLengthMs) {
        view.stateSinceMs =
            timeMs - (kTimeWaitLengthMs - static_cast<std::int64_t>(record.expiresMs));
        view.stateSinceIsLowerBound = false;
    }
    view.history.append(StateSpan{record.state, view.stateSinceMs, -1});
    m_idByCookie.insert(record.cookie, view.id);
    return m_live.insert(view.id, view).value();
}

void ConnectionTracker::changeState(ConnectionView &view, const SocketRecord &record,
                                    std::int64_t timeNs, EventSource source, Diff &diff)
{
    const TcpState from = view.socket.state;
    view.socket = record;
    if (from == record.state)
        return;
    const std::int64_t timeMs = timeNs / kNsPerMs;
    QList<StateSpan> &history = historyToChange(view);
    if (!history.isEmpty())
        history.last().leftMs = timeMs;
    history.append(StateSpan{record.state, timeMs, -1});
    view.stateSinceMs = timeMs;
    view.stateSinceIsLowerBound = false;
    SocketEvent event = makeEvent(EventKind::StateChanged, view, timeNs, source);
    event.from = from;
    event.to = record.state;
    diff.events.push_back(std::move(event));
}

void ConnectionTracker::retire(std::uint64_t id, std::int64_t timeNs, EventSource source,
                               Diff &diff)
{
    auto it = m_live.find(id);
    if (it == m_live.end())
        return;
    ConnectionView view = std::move(it.value());
    m_live.erase(it);
    // A cookie is not reused while its socket lives, but a timewait
    // successor's cookie may already point at another id: only drop our own.
    if (m_idByCookie.value(view.socket.cookie) == id)
        m_idByCookie.remove(view.socket.cookie);
    m_destroyedAt.remove(id);
    m_tracedAtNs.remove(id);
    m_resetSeen.remove(id);
    if (!view.history.isEmpty())
        historyToChange(view).last().leftMs = timeNs / kNsPerMs;
    SocketEvent event = makeEvent(EventKind::Gone, view, timeNs, source);
    event.from = view.socket.state;
    diff.events.push_back(std::move(event));
    m_gone.push_back(std::move(view));
    while (m_gone.size() > m_goneLimit)
        m_gone.pop_front();
}

ConnectionTracker::Diff ConnectionTracker::apply(const std::vector<SocketRecord> &snapshot,
                                                 std::int64_t timeMs, const OwnerFunction &owners,
                                                 std::int64_t dumpStartNs,
                                                 std::optional<std::uint16_t> onlyPort)
{
    PollPass pass{timeMs * kNsPerMs,
                  m_tracing ? dumpStartNs : -1,
                  onlyPort,
                  !m_started,
                  owners ? owners
                         : OwnerFunction([](const SocketRecord &) { return OwnerLookup{}; }),
                  {},
                  {},
                  {},
                  {},
                  {},
                  {}};
    m_started = true;
    updateKnown(snapshot, pass);
    collectVanished(pass);
    placeFresh(pass);
    settleUnseenDestroyed(pass);
    retireVanished(pass);
    // Closed sockets the dump might still have shown are settled now.
    m_closedAtNs.clear();
    indexJoinable();
    return std::move(pass.diff);
}

void ConnectionTracker::indexJoinable()
{
    m_joinableByKey.clear();
    if (!m_tracing)
        return;
    for (auto it = m_live.cbegin(); it != m_live.cend(); ++it) {
        const SocketRecord &socket = it->socket;
        if (socket.state == TcpState::SynRecv ||
            (socket.state == TcpState::FinWait2 && socket.inode == 0))
            m_joinableByKey.insert(connectionKeyOf(socket), it.key());
    }
}

bool ConnectionTracker::tracedSinceDump(std::uint64_t id, const PollPass &pass) const
{
    return pass.dumpStartNs >= 0 && m_tracedAtNs.value(id, -1) >= pass.dumpStartNs;
}

bool ConnectionTracker::closedSinceDump(std::uint64_t cookie, const PollPass &pass) const
{
    return pass.dumpStartNs >= 0 && m_closedAtNs.value(cookie, -1) >= pass.dumpStartNs;
}

void ConnectionTracker::updateKnown(const std::vector<SocketRecord> &snapshot, PollPass &pass)
{
    pass.seen.reserve(static_cast<qsizetype>(snapshot.size()));
    for (const SocketRecord &record : snapshot) {
        const auto known = m_idByCookie.constFind(record.cookie);
        if (known == m_idByCookie.constEnd()) {
            pass.fresh.push_back(&record);
            continue;
        }
        ConnectionView &view = m_live[known.value()];
        pass.seen.insert(view.id);
        // Still there: a destroy notice was not its end after all.
        m_destroyedAt.remove(view.id);
        OwnerLookup owner = pass.owners(record);
        // Keep the process the trace named when procfs cannot tell.
        if (owner.ownership == Ownership::Unknown)
            owner = view.owner;
        SocketRecord update = record;
        // The trace moved it after the dump read it, or the trace already
        // said TIME_WAIT where the timewait socket still waits for the FIN.
        if (tracedSinceDump(view.id, pass) ||
            (view.socket.state == TcpState::TimeWait && record.state == TcpState::FinWait2))
            update.state = view.socket.state;
        const bool stateChanged = view.socket.state != update.state;
        const bool visible = visiblyDifferent(view.socket, update) || owner != view.owner;
        view.owner = owner;
        if (stateChanged)
            changeState(view, update, pass.timeNs, EventSource::Poll, pass.diff);
        else {
            view.socket = update;
            if (visible)
                pass.diff.updated.push_back(view);
        }
    }
}

void ConnectionTracker::collectVanished(PollPass &pass)
{
    // Several vanished connections can share a key (SO_REUSEPORT listeners), so
    // the list, not the map, decides who is retired. A connection the trace
    // created or moved after the dump began is not missing, just newer.
    // Every live connection seen (the usual idle poll): nothing vanished,
    // and no walk over all of them.
    if (pass.seen.size() == m_live.size())
        return;
    for (auto it = m_live.cbegin(); it != m_live.cend(); ++it) {
        if (pass.seen.contains(it.key()) ||
            (pass.onlyPort && !touchesPort(it.value().socket, *pass.onlyPort)))
            continue;
        // Still a predecessor for its timewait socket either way.
        pass.vanishedByKey.insert(connectionKeyOf(it.value().socket), it.key());
        if (!tracedSinceDump(it.key(), pass))
            pass.vanished.push_back(it.key());
    }
}

void ConnectionTracker::placeFresh(PollPass &pass)
{
    // One event each, at most: the first poll of 100,000 sockets otherwise
    // moves its events through 17 reallocations.
    pass.diff.events.reserve(pass.diff.events.size() + pass.fresh.size());
    for (const SocketRecord *record : pass.fresh) {
        // Closed by the trace after the dump read it: already gone.
        if (closedSinceDump(record->cookie, pass))
            continue;
        const OwnerLookup owner = pass.owners(*record);
        const auto predecessor = isTimewaitSuccessor(*record)
                                     ? pass.vanishedByKey.find(connectionKeyOf(*record))
                                     : pass.vanishedByKey.end();
        if (predecessor != pass.vanishedByKey.end()) {
            ConnectionView &view = m_live[predecessor.value()];
            pass.continued.insert(view.id);
            pass.vanishedByKey.erase(predecessor);
            if (m_idByCookie.value(view.socket.cookie) == view.id)
                m_idByCookie.remove(view.socket.cookie);
            m_idByCookie.insert(record->cookie, view.id);
            m_destroyedAt.remove(view.id);
            view.owner = owner;
            SocketRecord update = *record;
            // The trace said TIME_WAIT already; the timewait socket may still
            // be waiting for the peer's FIN.
            if (view.socket.state == TcpState::TimeWait && update.state == TcpState::FinWait2)
                update.state = TcpState::TimeWait;
            const bool stateChanged = view.socket.state != update.state;
            changeState(view, update, pass.timeNs, EventSource::Poll, pass.diff);
            if (!stateChanged)
                pass.diff.updated.push_back(view);
            continue;
        }
        // A timewait successor of a connection only a destroy notice saw: it
        // simply appears in its state now.
        if (isTimewaitSuccessor(*record)) {
            const ConnectionKey key = connectionKeyOf(*record);
            std::erase_if(m_unseenDestroyed, [&key](const Unseen &unseen) {
                return connectionKeyOf(unseen.record) == key;
            });
        }
        ConnectionView &view = createConnection(*record, pass.timeNs, pass.initial);
        view.owner = owner;
        SocketEvent event = makeEvent(EventKind::Appeared, view, pass.timeNs, EventSource::Poll);
        event.to = record->state;
        event.initial = pass.initial;
        pass.diff.events.push_back(std::move(event));
    }
}

void ConnectionTracker::settleUnseenDestroyed(PollPass &pass)
{
    // Born and dead between two polls: the notice is all there ever was.
    for (const Unseen &unseen : m_unseenDestroyed) {
        const std::int64_t timeNs = unseen.destroyedMs * kNsPerMs;
        ConnectionView &view = createConnection(unseen.record, timeNs, false);
        view.owner = OwnerLookup{Ownership::Orphaned, {}};
        SocketEvent appeared = makeEvent(EventKind::Appeared, view, timeNs, EventSource::Destroy);
        appeared.to = unseen.record.state;
        pass.diff.events.push_back(std::move(appeared));
        retire(view.id, timeNs, EventSource::Destroy, pass.diff);
    }
    m_unseenDestroyed.clear();
}

void ConnectionTracker::retireVanished(PollPass &pass)
{
    for (const std::uint64_t id : pass.vanished) {
        if (pass.continued.contains(id))
            continue;
        const auto destroyed = m_destroyedAt.constFind(id);
        if (destroyed != m_destroyedAt.constEnd())
            retire(id, destroyed.value() * kNsPerMs, EventSource::Destroy, pass.diff);
        else
            retire(id, pass.timeNs, EventSource::Poll, pass.diff);
    }
}

void ConnectionTracker::applyDestroyed(const std::vector<SocketRecord> &destroyed,
                                       std::int64_t timeMs)
{
    for (const SocketRecord &record : destroyed) {
        const auto known = m_idByCookie.constFind(record.cookie);
        if (known != m_idByCookie.constEnd())
            m_destroyedAt.insert(known.value(), timeMs);
        else if (!record.remote.isUnspecified())
            m_unseenDestroyed.push_back(Unseen{record, timeMs});
    }
}

const ConnectionView *ConnectionTracker::find(std::uint64_t id) const
{
    const auto it = m_live.constFind(id);
    if (it != m_live.constEnd())
        return &it.value();
    for (auto gone = m_gone.crbegin(); gone != m_gone.crend(); ++gone) {
        if (gone->id == id)
            return &*gone;
    }
    return nullptr;
}

} // namespace sockscope
