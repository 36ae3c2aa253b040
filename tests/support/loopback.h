// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "util/uniquefd.h"

#include <cstdint>
#include <QString>

namespace sockscope::test {

// Small RAII helpers for tests that open real sockets on loopback. Every
// function QFAIL-free: they return -1 / 0 on failure and the test checks.

// A listener on 127.0.0.1 (or ::1 when ipv6) at `port` (0 = kernel picks).
UniqueFd listenOn(bool ipv6 = false, std::uint16_t port = 0, bool reuseAddr = false);
std::uint16_t localPort(int fd);
// A free TCP port on 127.0.0.1 at the time of the call, for a server started
// with a fixed port (0 when none could be had).
std::uint16_t freeLoopbackPort();
// A blocking connect to the listener's port on loopback, optionally from a fixed local port.
UniqueFd connectTo(std::uint16_t port, bool ipv6 = false, std::uint16_t fromPort = 0,
                   bool reuseAddr = false);
// accept() with a timeout in ms; -1 on timeout.
UniqueFd acceptOne(int listenFd, int timeoutMs = 2000);
// One connection to the listener on `port`, both ends: the client, the
// accepted socket, and the client's port (0 when either end failed).
struct ConnectedPair
{
    UniqueFd client;
    UniqueFd server;
    std::uint16_t clientPort = 0;
};
ConnectedPair connectPair(int listenFd, std::uint16_t port, bool ipv6 = false);
// Number of open descriptors of this process (/proc/self/fd).
int openDescriptorCount();

// 127.0.0.1:port as a socket record holds it (IPv4 family).
Endpoint loopbackEndpoint(std::uint16_t port);

// A synthetic IPv4 record on loopback for model and tracker tests: local
// 127.0.0.1:localPort, peer 127.0.0.1:remotePort (0.0.0.0:0 for 0).
SocketRecord loopbackRecord(std::uint64_t cookie, TcpState state, std::uint16_t localPort,
                            std::uint16_t remotePort, std::uint32_t inode);

} // namespace sockscope::test
