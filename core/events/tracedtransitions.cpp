// SPDX-License-Identifier: GPL-3.0-or-later
// ConnectionTracker::applyTrace: the kernel's own transitions, exact in time,
// merged into the same connections the dumps follow.
#include "events/connectiontracker.h"

namespace sockscope {

namespace {
bool isTimewaitSwitch(const TraceEvent &event)
{
    return event.to == TcpState::Close &&
           (event.from == TcpState::FinWait2 || event.from == TcpState::Closing);
}

// The state the timewait socket starts in. An orphaned socket whose FIN was
// ACKed is handed over still waiting for the peer's FIN (substate FIN_WAIT2);
// with the peer's FIN in, it is TIME_WAIT.
TcpState timewaitStateAfter(const TraceEvent &event)
{
    return event.from == TcpState::Closing || event.finReceived ? TcpState::TimeWait
                                                                : TcpState::FinWait2;
}

OwnerLookup ownerOf(const TraceEvent &event)
{
    // The descriptor number is not in the trace; -1 says so.
    return OwnerLookup{Ownership::Owned, {OwnerProcess{event.pid, -1, event.command}}};
}
} // namespace

SocketRecord ConnectionTracker::recordOf(const TraceEvent &event, TcpState state)
{
    SocketRecord record;
    record.family = event.family;
    record.state = state;
    record.local = event.local;
    record.remote = event.remote;
    record.cookie = event.cookie;
    return record;
}

ConnectionView *ConnectionTracker::findTraced(const TraceEvent &event)
{
    if (const auto known = m_idByCookie.constFind(event.cookie); known != m_idByCookie.constEnd())
        return &m_live[known.value()];
    // Another socket of a connection we follow, found by its 4-tuple: the
    // accepted socket's first transition after a dump saw its request socket
    // in SYN_RECV, or the timewait socket's own FIN_WAIT2 -> TIME_WAIT.
    const bool accepted = event.from == TcpState::Listen && event.to == TcpState::SynRecv;
    const bool timewait = event.from == TcpState::FinWait2 && event.to == TcpState::TimeWait;
    if (!accepted && !timewait)
        return nullptr;
    const ConnectionKey key{event.family, event.local, event.remote};
    const TcpState wanted = accepted ? TcpState::SynRecv : TcpState::FinWait2;
    for (const std::uint64_t id : m_joinableByKey.values(key)) {
        const auto it = m_live.find(id);
        if (it == m_live.end() || it->socket.state != wanted)
            continue;
        ConnectionView &view = it.value();
        m_joinableByKey.remove(key, id);
        if (m_idByCookie.value(view.socket.cookie) == view.id)
            m_idByCookie.remove(view.socket.cookie);
        m_idByCookie.insert(event.cookie, view.id);
        view.socket.cookie = event.cookie;
        return &view;
    }
    return nullptr;
}

void ConnectionTracker::applyTrace(const TraceEvent &event, Diff &diff)
{
    if (event.kind != TraceKind::StateChange) {
        traceReset(event, diff);
        return;
    }
    ConnectionView *view = findTraced(event);
    if (!view) {
        // The end of a socket never seen alive (it closed before tracing began,
        // or never left CLOSE) tells nothing.
        if (event.to != TcpState::Close)
            traceAppeared(event, diff);
        return;
    }
    traceTransition(*view, event, diff);
}

void ConnectionTracker::traceAppeared(const TraceEvent &event, Diff &diff)
{
    ConnectionView &view =
        createConnection(recordOf(event, event.to), event.timeNs, /*initial=*/false);
    if (event.pid > 0)
        view.owner = ownerOf(event);
    m_tracedAtNs.insert(view.id, event.timeNs);
    SocketEvent appeared = makeEvent(EventKind::Appeared, view, event.timeNs, EventSource::Trace);
    appeared.from = event.from;
    appeared.to = event.to;
    appeared.pid = event.pid;
    appeared.command = event.command;
    diff.events.push_back(std::move(appeared));
}

void ConnectionTracker::traceTransition(ConnectionView &view, const TraceEvent &event, Diff &diff)
{
    m_tracedAtNs.insert(view.id, event.timeNs);
    if (event.pid > 0 && view.owner.ownership == Ownership::Unknown)
        view.owner = ownerOf(event);
    if (event.to == TcpState::Close &&
        !(isTimewaitSwitch(event) && !m_resetSeen.contains(view.id))) {
        m_closedAtNs.insert(view.socket.cookie, event.timeNs);
        const std::size_t before = diff.events.size();
        retire(view.id, event.timeNs, EventSource::Trace, diff);
        if (diff.events.size() > before) {
            diff.events.back().pid = event.pid;
            diff.events.back().command = event.command;
        }
        return;
    }
    SocketRecord record = view.socket;
    const bool timewait = isTimewaitSwitch(event);
    record.state = timewait ? timewaitStateAfter(event) : event.to;
    if (timewait) {
        // The full socket is gone: its destroy notice must not end the
        // connection, and a dump that still shows it must not revive it. The
        // timewait socket joins by 4-tuple at the next dump.
        m_idByCookie.remove(view.socket.cookie);
        m_closedAtNs.insert(view.socket.cookie, event.timeNs);
    }
    // connect() reports SYN_SENT before a port is chosen; later events have it.
    if (event.local.port != 0)
        record.local = event.local;
    if (event.remote.port != 0)
        record.remote = event.remote;
    // The full socket closes; the timewait socket that carries on has neither
    // owner nor descriptor.
    if (timewait) {
        record.inode = 0;
        view.owner = OwnerLookup{Ownership::Orphaned, {}};
        if (record.state == TcpState::FinWait2)
            m_joinableByKey.insert(connectionKeyOf(record), view.id);
    }
    const std::size_t before = diff.events.size();
    changeState(view, record, event.timeNs, EventSource::Trace, diff);
    if (diff.events.size() > before) {
        diff.events.back().pid = event.pid;
        diff.events.back().command = event.command;
    } else {
        diff.updated.push_back(view);
    }
}

const ConnectionView *ConnectionTracker::recentlyGone(std::uint64_t cookie) const
{
    constexpr int kLookBack = 64;
    int looked = 0;
    for (auto it = m_gone.crbegin(); it != m_gone.crend() && looked < kLookBack; ++it, ++looked) {
        if (it->socket.cookie == cookie)
            return &*it;
    }
    return nullptr;
}

void ConnectionTracker::traceReset(const TraceEvent &event, Diff &diff)
{
    // A reset for a segment no socket owned (a SYN to a closed port) has no
    // connection of its own; the client's receive-reset tells its side.
    if (event.cookie == 0)
        return;
    const ConnectionView *found = nullptr;
    if (const auto known = m_idByCookie.constFind(event.cookie); known != m_idByCookie.constEnd()) {
        found = &m_live[known.value()];
        m_resetSeen.insert(found->id);
        m_tracedAtNs.insert(found->id, event.timeNs);
    } else {
        // close() with SO_LINGER 0 (and tcp_disconnect) moves the socket to
        // CLOSE first and sends the reset after: the connection just ended.
        found = recentlyGone(event.cookie);
    }
    if (!found)
        return;
    const ConnectionView &view = *found;
    SocketEvent reset = makeEvent(event.kind == TraceKind::SendReset ? EventKind::ResetSent
                                                                     : EventKind::ResetReceived,
                                  view, event.timeNs, EventSource::Trace);
    reset.from = view.socket.state;
    reset.to = view.socket.state;
    reset.pid = event.pid;
    reset.command = event.command;
    diff.events.push_back(std::move(reset));
}

} // namespace sockscope
