// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"

#include <array>
#include <cstdint>
#include <map>
#include <QHash>

namespace sockscope {

// What the exporter reports about the sockets alive now, per local port.
struct SocketAggregate
{
    // The label of the ports summed together: ephemeral ports nothing listens
    // on, and whatever the series cap cut.
    static constexpr int kOtherPort = -1;

    struct Port
    {
        std::array<std::int64_t, kTcpStateCount> sockets{};
        bool listening = false;
        std::int64_t acceptQueueLength = 0;  // LISTEN sockets' recv-q, summed
        std::int64_t acceptQueueBacklog = 0; // their send-q (the backlog), summed
        double oldestCloseWaitSeconds = -1;  // < 0: no CLOSE_WAIT socket
    };
    std::map<int, Port> ports; // ascending, kOtherPort first
    bool capped = false;       // some ports were summed into "other" by the cap
    std::int64_t orphaned = 0;
    std::int64_t timeWait = 0;
    std::int64_t timeWaitMaxPerRemote = 0;
};

// A port gets its own label when something listens on it or it lies below the
// ephemeral range (a server's or a client's chosen port); at most maxPorts do,
// listening ones first, then the busiest. Ages from each connection's
// stateSinceMs (monotonic milliseconds) to nowMs.
SocketAggregate aggregateSockets(const QHash<std::uint64_t, ConnectionView> &connections,
                                 int ephemeralPortStart, int maxPorts, std::int64_t nowMs);

} // namespace sockscope
