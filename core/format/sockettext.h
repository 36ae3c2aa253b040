// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"
#include "model/socketrecord.h"
#include "owners/ownedsocket.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace sockscope {

// "timewait 42.1s", "keepalive 7.0s/2" (retransmits after the slash), "" when off.
QString timerText(const SocketRecord &socket);
// "pid 4242 nginx: worker (fd 7)", "orphaned", "unknown"; several owners joined by ", ".
QString ownerText(const OwnerLookup &owner);

// The `dump` table: a header line and one aligned line per socket, like `ss -tan`
// with the timer and owner added.
QStringList socketTable(const std::vector<OwnedSocket> &sockets);

// One `watch` line: "+12.345s state ESTABLISHED -> FIN_WAIT2 127.0.0.1:9000 -> ...".
QString eventLine(const SocketEvent &event, std::int64_t originMs);

} // namespace sockscope
