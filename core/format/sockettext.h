// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"
#include "model/socketrecord.h"
#include "owners/ownedsocket.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <vector>

namespace sockscope {

// The `dump` table, like `ss -tan` with the timer (timerText) and owner
// (ownerText) added. The columns have fixed widths, so that a dump can be
// written as the kernel sends it; a wider value (an IPv6 endpoint) pushes the
// rest of its line right. Without an owner (`dump --no-owners`) the Owner
// column is left out. Each call appends one line and its newline.
void appendSocketTableHeader(QByteArray &out, bool withOwner);
void appendSocketRow(QByteArray &out, const SocketRecord &socket, const OwnerLookup *owner);

// The same table as lines: the header and one line per socket.
QStringList socketTable(const std::vector<OwnedSocket> &sockets);

// One `watch` line: "  12.345 s  state ESTABLISHED -> FIN_WAIT2  127.0.0.1:9000 -> ...",
// the time since originMs right-aligned.
QString eventLine(const SocketEvent &event, std::int64_t originMs);

} // namespace sockscope
