// SPDX-License-Identifier: GPL-3.0-or-later
#include "population.h"

#include "descriptorlimit.h"
#include "loopback.h"

#include <algorithm>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace sockscope::test {

namespace {
// 18,000 descriptors per holder: under the hard limit of 20,000.
constexpr int kPairsPerHolder = 9000;
// TIME_WAIT sockets per listener port: each needs its own source port, and the
// ephemeral range holds 64,511.
constexpr int kTimeWaitPerListener = 20000;

bool writeSysctl(const char *path, const char *value)
{
    FILE *file = std::fopen(path, "w");
    if (!file)
        return false;
    const bool ok = std::fputs(value, file) >= 0;
    return std::fclose(file) == 0 && ok;
}

// `pairs` connections to a listener of the holder's own, both ends kept;
// `halfClose` shuts the client's sending side (FIN_WAIT2 / CLOSE_WAIT).
std::unique_ptr<SocketHolder> holdPairs(int pairs, bool halfClose)
{
    std::vector<UniqueFd> fds; // filled in the child only
    return std::make_unique<SocketHolder>([pairs, halfClose, &fds] {
        raiseDescriptorLimit(static_cast<std::uint64_t>(2 * pairs) + 64);
        UniqueFd listener = listenOn();
        ::listen(listener.get(), 4096);
        const std::uint16_t port = localPort(listener.get());
        fds.reserve(static_cast<std::size_t>(2 * pairs + 1));
        for (int i = 0; i < pairs; ++i) {
            ConnectedPair pair = connectPair(listener.get(), port);
            if (!pair.client.valid() || !pair.server.valid())
                return false;
            if (halfClose)
                ::shutdown(pair.client.get(), SHUT_WR);
            fds.push_back(std::move(pair.client));
            fds.push_back(std::move(pair.server));
        }
        fds.push_back(std::move(listener)); // the listener stays: it is one of the mix's
        return true;
    });
}

// Connections whose client closes first: TIME_WAIT on the client side, nothing held.
std::unique_ptr<SocketHolder> makeTimeWait(int count)
{
    return std::make_unique<SocketHolder>([count] {
        UniqueFd listener = listenOn();
        ::listen(listener.get(), 4096);
        const std::uint16_t port = localPort(listener.get());
        for (int i = 0; i < count; ++i) {
            ConnectedPair pair = connectPair(listener.get(), port);
            if (!pair.client.valid() || !pair.server.valid())
                return false;
            pair.client.reset();
            pair.server.reset();
        }
        return true; // the listener closes with the holder; TIME_WAIT stays with the kernel
    });
}

std::unique_ptr<SocketHolder> holdListeners(int count)
{
    std::vector<UniqueFd> fds;
    return std::make_unique<SocketHolder>([count, &fds] {
        raiseDescriptorLimit(static_cast<std::uint64_t>(count) + 64);
        for (int i = 0; i < count; ++i) {
            fds.push_back(listenOn());
            if (!fds.back().valid() || ::listen(fds.back().get(), 128) != 0)
                return false;
        }
        return true;
    });
}
} // namespace

PopulationMix realisticMix(int sockets)
{
    PopulationMix mix;
    mix.listeners = std::max(4, sockets / 100);
    mix.timeWait = sockets / 5;
    mix.halfClosedPairs = sockets / 20;
    mix.establishedPairs =
        std::max(0, (sockets - mix.listeners - mix.timeWait - 2 * mix.halfClosedPairs) / 2);
    return mix;
}

Population::Population(const PopulationMix &mix) : m_mix(mix)
{
    writeSysctl("/proc/sys/net/ipv4/ip_local_port_range", "1024 65535");
    writeSysctl("/proc/sys/net/ipv4/tcp_tw_reuse", "0");
    int listeners = mix.listeners;
    for (int left = mix.establishedPairs; left > 0; left -= kPairsPerHolder, --listeners)
        m_holders.push_back(holdPairs(std::min(left, kPairsPerHolder), false));
    for (int left = mix.halfClosedPairs; left > 0; left -= kPairsPerHolder, --listeners)
        m_holders.push_back(holdPairs(std::min(left, kPairsPerHolder), true));
    if (listeners > 0)
        m_holders.push_back(holdListeners(listeners));
    // Last: their 60 s run from here.
    for (int left = mix.timeWait; left > 0; left -= kTimeWaitPerListener)
        m_holders.push_back(makeTimeWait(std::min(left, kTimeWaitPerListener)));
}

bool Population::waitReady(std::string *why)
{
    for (std::size_t i = 0; i < m_holders.size(); ++i) {
        if (!m_holders[i]->waitReady()) {
            *why = "holder " + std::to_string(i + 1) + " of " + std::to_string(m_holders.size()) +
                   " could not open its sockets";
            return false;
        }
    }
    return true;
}

void Population::release()
{
    m_holders.clear();
}

} // namespace sockscope::test
