// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"

#include <cstdint>
#include <deque>
#include <QHash>
#include <QList>
#include <vector>

namespace sockscope {

// One thing that happened to a connection, as its history keeps it: the
// event without the view it carried.
struct ConnectionStep
{
    std::int64_t timeNs = 0; // CLOCK_MONOTONIC, exact when traced
    EventKind kind = EventKind::Appeared;
    EventSource source = EventSource::Poll;
    TcpState from = TcpState::Unknown;
    TcpState to = TcpState::Unknown;
    int pid = 0; // the process whose call made it (traced), 0 otherwise
    QString command;
};
ConnectionStep stepOf(const SocketEvent &event);

// A connection the window can still show: its last view and what happened to it.
struct ConnectionEntry
{
    ConnectionView view;
    QList<ConnectionStep> steps; // oldest first, at most ConnectionHistory::kMaxSteps
    std::int64_t endedMs = -1;   // monotonic; -1 while it lives
    bool ended() const { return endedMs >= 0; }
};

// The 4-tuple the other end of `socket` has when it is on this machine too.
ConnectionKey peerKeyOf(const SocketRecord &socket);

// The connections that came, changed or went while the window watched, live
// and ended, with their own event lists, so an ended connection can still be
// inspected and both ends of a loopback connection found. The tracker keeps
// views to track the kernel; this keeps what the learner may look back at.
// Sockets of the first snapshot enter only once something happens to them
// (or remember() is called), so watching 100,000 idle sockets costs nothing
// here. Pure logic: the window feeds it each batch.
class ConnectionHistory
{
public:
    // Ended connections are kept while both hold: at most this many, and
    // none older than this.
    static constexpr std::size_t kMaxEnded = 1000;
    static constexpr std::int64_t kEndedKeepMs = 10 * 60 * 1000;
    // A connection's own list stops growing here (a handshake and a close
    // need a dozen steps; a flapping one must not grow without end).
    static constexpr qsizetype kMaxSteps = 64;

    void apply(const std::vector<SocketEvent> &events, const std::vector<ConnectionView> &updated);
    // Starts keeping a connection the window shows that has not moved yet.
    void remember(const ConnectionView &view);
    // Forgets ended connections past the limits at monotonic time nowMs.
    void prune(std::int64_t nowMs);

    const ConnectionEntry *find(std::uint64_t id) const;
    // The other end of the connection on this machine: the entry with the
    // mirrored 4-tuple whose lifetime overlaps this one's, live or ended.
    const ConnectionEntry *peerOf(std::uint64_t id) const;
    // Ended connections, newest first.
    QList<const ConnectionEntry *> ended() const;
    std::size_t endedCount() const { return m_ended.size(); }
    // Changes each time the set of ended connections changes (for views).
    std::uint64_t endedGeneration() const { return m_endedGeneration; }

private:
    ConnectionEntry &entryFor(const ConnectionView &view);
    void index(ConnectionEntry &entry, const ConnectionView &view);
    void forget(std::uint64_t id);

    QHash<std::uint64_t, ConnectionEntry> m_entries;
    QMultiHash<ConnectionKey, std::uint64_t> m_byKey;
    std::deque<std::uint64_t> m_ended; // oldest first
    std::uint64_t m_endedGeneration = 0;
};

} // namespace sockscope
