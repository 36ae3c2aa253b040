// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"
#include "model/socketrecord.h"
#include "owners/ownedsocket.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace sockscope {

// The `dump` table: a header line and one aligned line per socket, like `ss -tan`
// with the timer (timerText) and owner (ownerText) added.
QStringList socketTable(const std::vector<OwnedSocket> &sockets);

// One `watch` line: "  12.345 s  state ESTABLISHED -> FIN_WAIT2  127.0.0.1:9000 -> ...",
// the time since originMs right-aligned.
QString eventLine(const SocketEvent &event, std::int64_t originMs);

} // namespace sockscope
