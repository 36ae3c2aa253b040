// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "socketholder.h"

#include <memory>
#include <string>
#include <vector>

namespace sockscope::test {

// How many sockets of each kind a Population asked for.
struct PopulationMix
{
    int listeners = 0;
    int establishedPairs = 0;
    int halfClosedPairs = 0; // a FIN_WAIT2 client and its CLOSE_WAIT server
    int timeWait = 0;
    int total() const { return listeners + 2 * establishedPairs + 2 * halfClosedPairs + timeWait; }
};

// The mix a busy server shows, for `sockets` in all: 1 % listeners (at least
// 4), 20 % TIME_WAIT, 10 % in FIN_WAIT2/CLOSE_WAIT pairs, the rest ESTABLISHED
// pairs.
PopulationMix realisticMix(int sockets);

// Opens the mix on loopback in the calling process's network namespace, in
// child processes (SocketHolder) that each stay under a hard RLIMIT_NOFILE of
// 20,000. TIME_WAIT sockets belong to the kernel and last 60 s from creation.
// Call from a private namespace: it sets net.ipv4.ip_local_port_range to
// 1024-65535 and tcp_tw_reuse to 0 there, so that TIME_WAIT sockets are not
// recycled by later connects.
class Population
{
public:
    explicit Population(const PopulationMix &mix);
    // Blocks until every holder has opened its part; false with `why` otherwise.
    bool waitReady(std::string *why);
    const PopulationMix &mix() const { return m_mix; }
    void release();

private:
    PopulationMix m_mix;
    std::vector<std::unique_ptr<SocketHolder>> m_holders;
};

} // namespace sockscope::test
