// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lab/labtypes.h"
#include "model/socketrecord.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace sockscope::test {

// What the lab tests need from the kernel: the dump, filtered on one port.
// Everything waits with deadlines while the event loop runs, never sleeps.
constexpr int kWaitMs = 5000;

Endpoint loopbackEndpoint(Family family, std::uint16_t port);
ListenerSpec loopbackListener(Family family, AcceptMode accept = AcceptMode::Auto,
                              AcceptLoop loop = AcceptLoop::EventLoop, std::uint16_t port = 0);
ClientSpec loopbackClient(Family family, std::uint16_t port, ClosePolicy then, int count = 1);

// Every TCP socket whose local or remote port is `port` (QFAIL-free: empty on error).
std::vector<SocketRecord> dumpPort(std::uint16_t port);
// The sockets in `state` whose local port is `localPort` (and remote `remotePort` when non-zero).
std::vector<SocketRecord> socketsIn(std::uint16_t port, TcpState state, std::uint16_t localPort,
                                    std::uint16_t remotePort = 0);
std::optional<SocketRecord> listenRow(std::uint16_t port);
// Waits (running the event loop) until `condition` holds or kWaitMs passed.
bool waitUntil(const std::function<bool()> &condition, int timeoutMs = kWaitMs);
// Waits until a socket on `port` with local port `localPort` is in `state`.
bool waitForState(std::uint16_t port, TcpState state, std::uint16_t localPort,
                  std::uint16_t remotePort = 0);
// A port that was free a moment ago (bound and released with SO_REUSEADDR).
std::uint16_t freePort();
int threadCount();

} // namespace sockscope::test
