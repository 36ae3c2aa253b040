// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"
#include "model/socketrecord.h"
#include "owners/ownerinfo.h"

#include <cstddef>
#include <QJsonObject>
#include <span>

namespace sockscope {

// The one schema of a socket as JSON: each key of `dump --json` in order, and
// how to read its value. Both writers below walk this table.
struct SocketJsonKey
{
    enum class Type
    {
        Text,   // a string: text() writes it, plain ASCII needing no escapes
        Number, // an unsigned integer: number()
        Owners  // the owners array: [{pid, fd, command}]
    };
    const char *name;
    Type type;
    bool tcpInfo; // written only when the socket carries tcp_info figures
    // Writes at most kTextMax characters to `out`, returns how many.
    std::size_t (*text)(char *out, const SocketRecord &, const OwnerLookup &);
    qulonglong (*number)(const SocketRecord &, const OwnerLookup &);
    bool owner = false; // left out when owners were not read (`dump --no-owners`)
    static constexpr std::size_t kTextMax = Endpoint::kTextMax;
};
// family, state, local_address, local_port, remote_address, remote_port,
// recv_q, send_q, timer, expires_ms, retrans, uid, inode, cookie (a decimal
// string), [rtt_us, rttvar_us, cwnd, bytes_acked, bytes_received], owner, owners.
std::span<const SocketJsonKey> socketJsonKeys();

// The socket as a QJsonObject, built from the table (for transcripts and events).
QJsonObject socketToJson(const SocketRecord &socket, const OwnerLookup &owner);

// The same object as compact JSON text appended to `out`, written by hand from
// the same table without a heap allocation per socket (dumps of 100,000
// sockets). A null owner leaves out "owner" and "owners".
void appendSocketJson(QByteArray &out, const SocketRecord &socket, const OwnerLookup *owner);

// One `watch --json` line: time_ms, event, from, to, source, connection_id,
// initial, time_in_state_ms (event time minus when the connection entered its
// current state: 0 for a state change), plus the socket keys.
QJsonObject eventToJson(const SocketEvent &event);

} // namespace sockscope
