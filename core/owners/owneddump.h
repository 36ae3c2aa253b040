// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "netlink/dumpfilter.h"
#include "owners/ownedsocket.h"
#include "util/result.h"

#include <vector>

namespace sockscope {

// One dump with every socket's owner: what `dump`, the console's `show` and the
// explainer print. Fails with the DiagClient's error. ownersComplete (when
// given) tells whether every process's descriptors could be read.
Result<std::vector<OwnedSocket>> dumpOwnedSockets(const DumpFilter &filter,
                                                  bool *ownersComplete = nullptr);

// Listeners first, then by local port and state: a port's story reads top-down.
void sortForReading(std::vector<OwnedSocket> &sockets);
void sortForReading(std::vector<SocketRecord> &sockets);

} // namespace sockscope
