// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace sockscope {

// When polling is the only source, how often to dump: the user's interval,
// stretched so that polling alone keeps at most `maxShare` of one core busy
// (100,000 sockets cost a few hundred ms of CPU per poll: every 250 ms would
// be most of a core). The cost is smoothed over polls, so one slow poll (a
// cold owner scan) does not hold the interval up for long.
class PollCadence
{
public:
    static constexpr double kDefaultMaxShare = 0.10;

    void setMaxShare(double share) { m_maxShare = std::clamp(share, 0.0001, 1.0); }
    double maxShare() const { return m_maxShare; }

    // The CPU one poll took on the poller's thread.
    void addPollCost(std::int64_t cpuUs)
    {
        m_costUs = m_costUs < 0 ? cpuUs : (m_costUs + cpuUs) / 2;
    }
    std::int64_t costUs() const { return std::max<std::int64_t>(m_costUs, 0); }

    // Never below the user's interval nor above the maximum.
    int intervalMs(int userIntervalMs, int maximumMs) const
    {
        const std::int64_t needed =
            std::llround(static_cast<double>(costUs()) / (1000.0 * m_maxShare));
        return static_cast<int>(
            std::clamp<std::int64_t>(needed, userIntervalMs, std::max(userIntervalMs, maximumMs)));
    }
    bool backedOff(int userIntervalMs, int maximumMs) const
    {
        return intervalMs(userIntervalMs, maximumMs) > userIntervalMs;
    }

private:
    double m_maxShare = kDefaultMaxShare;
    std::int64_t m_costUs = -1;
};

} // namespace sockscope
