// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "poller/pollbatch.h"

#include <cstdint>
#include <QHash>

namespace sockscope {

// Joins the batches of successive agent sessions (one per ssh connection)
// into one stream, as if the connection had never dropped: each session's
// agent numbers connections from 1 and dates them on the server's clock, and
// starts with an initial snapshot. Here connection ids become this machine's
// (stable across sessions), times move to this machine's monotonic clock,
// and a reconnect's snapshot becomes the changes since the last session:
// a connection still there keeps its id and its history (its state change
// while disconnected, if any, as one event), one no longer there is gone.
class SessionStitch
{
public:
    // The next batch is a new session's first; offsetMs = this machine's
    // monotonic time minus the server's, for every time in it.
    void beginSession(std::int64_t offsetMs);
    PollBatch apply(PollBatch batch);

private:
    struct Known
    {
        std::uint64_t localId = 0;
        ConnectionView view; // in local ids and times
    };
    void shiftTimes(ConnectionView &view) const;
    std::uint64_t localIdOf(const ConnectionView &remote, bool mayJoin);
    void withEarlierHistory(ConnectionView &view) const;
    void remember(const SocketEvent &event);

    std::int64_t m_offsetMs = 0;
    bool m_joining = false; // this session's first batch, after an earlier session
    QHash<std::uint64_t, std::uint64_t> m_localByRemote; // this session
    QHash<std::uint64_t, ConnectionView> m_live;         // by local id
    QHash<ConnectionKey, std::uint64_t> m_liveByKey;
    // Connections carried over from an earlier session: their history before it.
    QHash<std::uint64_t, QList<StateSpan>> m_earlier;
    QHash<std::uint64_t, std::int64_t> m_earlierFirstSeen;
    std::uint64_t m_nextId = 1;
    bool m_anySession = false;
};

} // namespace sockscope
