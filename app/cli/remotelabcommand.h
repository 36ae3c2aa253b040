// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/sshtarget.h"

namespace sockscope::cli {

// `sockscope lab --ssh HOST`: the lab console of a server, through its
// sockscope agent started with --lab. Reads console lines on standard input
// once connected, one at a time (each waits for its answer), prints each
// answer as `sockscope lab` does; end of input or `quit` ends the agent and
// with it what the lab opened there. echo/events: as the local console.
// 0 at the end of input; 1 when the connection fails, drops, or the server
// has no sockscope (ss gives sockets, not a lab).
int runRemoteLab(const SshTarget &target, bool echo, bool events, bool installAgent);

} // namespace sockscope::cli
