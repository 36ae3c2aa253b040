// SPDX-License-Identifier: GPL-3.0-or-later
#include "events/connectionhistory.h"

#include <algorithm>
#include <limits>

namespace sockscope {

ConnectionStep stepOf(const SocketEvent &event)
{
    return ConnectionStep{event.timeNs != 0 ? event.timeNs : event.timeMs * 1'000'000,
                          event.kind,
                          event.source,
                          event.from,
                          event.to,
                          event.pid,
                          event.command};
}

ConnectionKey peerKeyOf(const SocketRecord &socket)
{
    return ConnectionKey{socket.family, socket.remote, socket.local};
}

namespace {
std::int64_t endOf(const ConnectionEntry &entry)
{
    return entry.ended() ? entry.endedMs : std::numeric_limits<std::int64_t>::max();
}
} // namespace

void ConnectionHistory::index(ConnectionEntry &entry, const ConnectionView &view)
{
    const ConnectionKey key = connectionKeyOf(view.socket);
    const ConnectionKey old = connectionKeyOf(entry.view.socket);
    // connect() is traced before its port is chosen: the key settles later.
    if (entry.view.id == view.id && old == key)
        return;
    if (entry.view.id == view.id)
        m_byKey.remove(old, view.id);
    m_byKey.insert(key, view.id);
}

ConnectionEntry &ConnectionHistory::entryFor(const ConnectionView &view)
{
    ConnectionEntry &entry = m_entries[view.id];
    index(entry, view);
    entry.view = view;
    return entry;
}

void ConnectionHistory::remember(const ConnectionView &view)
{
    if (!m_entries.contains(view.id))
        entryFor(view);
}

void ConnectionHistory::apply(const std::vector<SocketEvent> &events,
                              const std::vector<ConnectionView> &updated)
{
    for (const SocketEvent &event : events) {
        const std::uint64_t id = event.connection.id;
        if (event.initial && !m_entries.contains(id))
            continue;
        ConnectionEntry &entry = entryFor(event.connection);
        if (entry.steps.size() < kMaxSteps)
            entry.steps.append(stepOf(event));
        if (event.kind == EventKind::Gone && !entry.ended()) {
            entry.endedMs = event.timeMs;
            m_ended.push_back(id);
            ++m_endedGeneration;
        }
    }
    for (const ConnectionView &view : updated) {
        if (m_entries.contains(view.id))
            entryFor(view);
    }
}

void ConnectionHistory::forget(std::uint64_t id)
{
    const auto it = m_entries.constFind(id);
    if (it == m_entries.constEnd())
        return;
    m_byKey.remove(connectionKeyOf(it->view.socket), id);
    m_entries.erase(it);
}

void ConnectionHistory::prune(std::int64_t nowMs)
{
    bool changed = false;
    while (!m_ended.empty()) {
        const ConnectionEntry *oldest = find(m_ended.front());
        if (oldest && m_ended.size() <= kMaxEnded && nowMs - oldest->endedMs <= kEndedKeepMs)
            break;
        forget(m_ended.front());
        m_ended.pop_front();
        changed = true;
    }
    m_endedGeneration += changed;
}

const ConnectionEntry *ConnectionHistory::find(std::uint64_t id) const
{
    const auto it = m_entries.constFind(id);
    return it == m_entries.constEnd() ? nullptr : &it.value();
}

const ConnectionEntry *ConnectionHistory::peerOf(std::uint64_t id) const
{
    const ConnectionEntry *self = find(id);
    if (!self || self->view.socket.remote.port == 0)
        return nullptr;
    // The same 4-tuple may be used again once TIME_WAIT is over: of the
    // mirrored ones, the end that lived alongside this one.
    const ConnectionEntry *best = nullptr;
    std::int64_t bestOverlap = -1;
    for (const std::uint64_t other : m_byKey.values(peerKeyOf(self->view.socket))) {
        const ConnectionEntry *candidate = find(other);
        if (!candidate || other == id)
            continue;
        const std::int64_t overlap = std::min(endOf(*self), endOf(*candidate)) -
                                     std::max(self->view.firstSeenMs, candidate->view.firstSeenMs);
        if (overlap >= 0 && overlap > bestOverlap) {
            best = candidate;
            bestOverlap = overlap;
        }
    }
    return best;
}

QList<const ConnectionEntry *> ConnectionHistory::ended() const
{
    QList<const ConnectionEntry *> newestFirst;
    newestFirst.reserve(static_cast<qsizetype>(m_ended.size()));
    for (auto it = m_ended.crbegin(); it != m_ended.crend(); ++it) {
        if (const ConnectionEntry *entry = find(*it))
            newestFirst << entry;
    }
    return newestFirst;
}

} // namespace sockscope
