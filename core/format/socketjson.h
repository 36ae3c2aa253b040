// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"
#include "model/socketrecord.h"
#include "owners/ownerinfo.h"

#include <QJsonObject>

namespace sockscope {

// The socket keys of `dump --json` (family, state, local_address, local_port,
// remote_address, remote_port, recv_q, send_q, timer, expires_ms, retrans, uid,
// inode, cookie as a decimal string, owner, owners[{pid, fd, command}]), plus
// tcp_info figures when present.
QJsonObject socketToJson(const SocketRecord &socket, const OwnerLookup &owner);

// The same object as compact JSON text appended to `out`: the one writer of the
// schema (socketToJson parses it), fast enough for dumps of 100,000 sockets.
void appendSocketJson(QByteArray &out, const SocketRecord &socket, const OwnerLookup &owner);

// One `watch --json` line: time_ms, event, from, to, source, connection_id,
// initial, time_in_state_ms, plus the socket keys.
QJsonObject eventToJson(const SocketEvent &event);

} // namespace sockscope
