// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "format/batchjson.h"

#include <QString>

namespace sockscope {

// What a server's end can see, for the status bar in place of this machine's
// privilege: whoever runs the agent there decides which owners show.
QString agentAccess(const AgentHello &hello);
// ss on the server: polls only.
QString ssFallbackAccess();
// Before the server has answered.
QString connectingAccess();

// The remote lab's refusals, one wording wherever they are said: the agent
// was not asked for it (sockscope --ssh HOST --remote-lab), or the server
// has no sockscope (ss gives sockets, not a lab).
QString remoteLabOffText(const QString &host);
QString remoteLabNeedsSockscopeText(const QString &host);

} // namespace sockscope
