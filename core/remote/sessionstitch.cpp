// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/sessionstitch.h"

#include <QSet>

namespace sockscope {

void SessionStitch::beginSession(std::int64_t offsetMs)
{
    m_offsetMs = offsetMs;
    m_joining = m_anySession;
    m_anySession = true;
    m_localByRemote.clear();
}

void SessionStitch::shiftTimes(ConnectionView &view) const
{
    view.firstSeenMs += m_offsetMs;
    view.stateSinceMs += m_offsetMs;
    for (StateSpan &span : view.history) {
        span.enteredMs += m_offsetMs;
        if (span.leftMs >= 0)
            span.leftMs += m_offsetMs;
    }
}

std::uint64_t SessionStitch::localIdOf(const ConnectionView &remote, bool mayJoin)
{
    if (const auto it = m_localByRemote.constFind(remote.id); it != m_localByRemote.cend())
        return *it;
    std::uint64_t local = 0;
    if (mayJoin) {
        const auto known = m_liveByKey.constFind(connectionKeyOf(remote.socket));
        if (known != m_liveByKey.cend() && !m_localByRemote.values().contains(*known))
            local = *known;
    }
    if (local == 0)
        local = m_nextId++;
    m_localByRemote.insert(remote.id, local);
    return local;
}

// A connection seen before the reconnect: its spans then, joined to the new
// agent's (which starts when that agent first saw it).
void SessionStitch::withEarlierHistory(ConnectionView &view) const
{
    const auto earlier = m_earlier.constFind(view.id);
    if (earlier == m_earlier.cend() || earlier->isEmpty())
        return;
    QList<StateSpan> spans = *earlier;
    QList<StateSpan> later = view.history;
    if (!later.isEmpty() && later.first().state == spans.last().state) {
        spans.last().leftMs = later.first().leftMs;
        later.removeFirst();
        if (view.history.size() == 1)
            view.stateSinceMs = spans.last().enteredMs;
    } else if (!later.isEmpty()) {
        spans.last().leftMs = later.first().enteredMs;
    }
    spans += later;
    view.history = spans;
    view.firstSeenMs = m_earlierFirstSeen.value(view.id, view.firstSeenMs);
}

void SessionStitch::remember(const SocketEvent &event)
{
    const ConnectionView &view = event.connection;
    if (event.kind == EventKind::Gone) {
        m_live.remove(view.id);
        m_liveByKey.remove(connectionKeyOf(view.socket));
        m_earlier.remove(view.id);
        m_earlierFirstSeen.remove(view.id);
        return;
    }
    m_live.insert(view.id, view);
    m_liveByKey.insert(connectionKeyOf(view.socket), view.id);
}

PollBatch SessionStitch::apply(PollBatch batch)
{
    batch.timeMs += m_offsetMs;
    const bool joining = m_joining && batch.initial;
    QSet<std::uint64_t> stillThere;
    std::vector<SocketEvent> events;
    for (ConnectionView &view : batch.updated) {
        shiftTimes(view);
        view.id = localIdOf(view, false);
        withEarlierHistory(view);
        m_live.insert(view.id, view);
    }
    for (SocketEvent &event : batch.events) {
        event.timeMs += m_offsetMs;
        event.timeNs += m_offsetMs * 1000000;
        ConnectionView &view = event.connection;
        shiftTimes(view);
        view.id = localIdOf(view, joining && event.kind == EventKind::Appeared);
        const auto before = m_live.constFind(view.id);
        if (joining && before != m_live.cend()) {
            stillThere.insert(view.id);
            if (!m_earlier.contains(view.id)) {
                m_earlier.insert(view.id, before->history);
                m_earlierFirstSeen.insert(view.id, before->firstSeenMs);
            }
            withEarlierHistory(view);
            event.initial = false;
            if (before->socket.state == view.socket.state) {
                batch.updated.push_back(view);
                m_live.insert(view.id, view);
                continue;
            }
            event.kind = EventKind::StateChanged;
            event.from = before->socket.state;
        }
        withEarlierHistory(view);
        remember(event);
        events.push_back(std::move(event));
    }
    if (joining) {
        // Whatever the new snapshot lacks ended while the connection was down.
        for (auto it = m_live.begin(); it != m_live.end();) {
            if (stillThere.contains(it.key())) {
                ++it;
                continue;
            }
            SocketEvent gone;
            gone.timeMs = batch.timeMs;
            gone.timeNs = batch.timeMs * 1000000;
            gone.kind = EventKind::Gone;
            gone.from = it->socket.state;
            gone.connection = *it;
            if (!gone.connection.history.isEmpty())
                historyToChange(gone.connection).last().leftMs = batch.timeMs;
            m_liveByKey.remove(connectionKeyOf(it->socket));
            m_earlier.remove(it.key());
            it = m_live.erase(it);
            events.push_back(std::move(gone));
        }
        batch.initial = false;
        m_joining = false;
    }
    batch.events = std::move(events);
    return batch;
}

} // namespace sockscope
