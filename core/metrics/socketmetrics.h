// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/liveconnections.h"
#include "metrics/exposition.h"
#include "poller/pollbatch.h"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace sockscope {

// The exporter's view of the machine, kept on its own thread from the
// poller's batches: the live connections, the trace's counters and the last
// poll's figures. Turning it into metric families reads only this copy, so a
// scrape never waits for a dump.
class SocketMetrics
{
public:
    static constexpr int kDefaultMaxPorts = 200;

    explicit SocketMetrics(int maxPorts = kDefaultMaxPorts) : m_maxPorts(maxPorts) {}

    void applyBatch(const PollBatch &batch);
    // Whether a poll has finished (before it, nothing is known).
    bool ready() const { return m_batches > 0; }
    // Changes with every batch applied (for caching what was built from it).
    std::uint64_t generation() const { return m_batches; }
    const PollStats &lastStats() const { return m_stats; }

    // Every sockscope_tcp_*, trace and poll family, at monotonic time nowMs.
    std::vector<MetricFamily> families(std::int64_t nowMs) const;

private:
    void countTraced(const SocketEvent &event);

    LiveConnections m_live;
    std::map<std::pair<TcpState, TcpState>, std::uint64_t> m_transitions;
    std::uint64_t m_resetsSent = 0;
    std::uint64_t m_resetsReceived = 0;
    PollStats m_stats;
    std::uint64_t m_batches = 0;
    int m_maxPorts;
};

} // namespace sockscope
