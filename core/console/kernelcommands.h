// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "console/consoleanswer.h"
#include "owners/ownedsocket.h"
#include "model/hostport.h"
#include "model/tcpstate.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace sockscope {

// The console commands that ask the kernel rather than the lab. Each opens
// its own sock_diag socket and closes it before returning, so `fds` counts
// only what the lab holds.

// `show [PORT]`: "ok N sockets" and the `dump` table (header first).
ConsoleAnswer showSockets(std::optional<std::uint16_t> port);
// `wait [not] STATE PORT TIMEOUT_MS`: polls the dump (local or remote port) and
// runs the event loop between polls, so the lab's event-loop objects keep
// working. ETIMEDOUT names the states seen instead.
ConsoleAnswer waitForState(TcpState state, std::uint16_t port, int timeoutMs, bool negate);
// `check ADDR:PORT [reuseaddr] [reuseport]`: the bind checker.
ConsoleAnswer checkAddress(const HostPort &address, bool reuseAddr, bool reusePort);
// `sleep MS`: runs the event loop for MS.
ConsoleAnswer sleepFor(int milliseconds);
// `fds`: the descriptors this process holds.
ConsoleAnswer countDescriptors();

// Runs the calling thread's event loop for `milliseconds` (0: pending events only).
void runEventLoopFor(int milliseconds);
// Dumps the port (0: every socket) with owners, sorted for reading.
Result<std::vector<OwnedSocket>> dumpWithOwners(std::uint16_t port);

} // namespace sockscope
