// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace/traceevent.h"

#include "trace/tracerecord.h"

#include <algorithm>
#include <cstring>
#include <sys/socket.h>

namespace sockscope {

QString traceKindName(TraceKind kind)
{
    switch (kind) {
    case TraceKind::StateChange:
        return QStringLiteral("state");
    case TraceKind::SendReset:
        return QStringLiteral("send-reset");
    case TraceKind::ReceiveReset:
        return QStringLiteral("receive-reset");
    }
    return QStringLiteral("?");
}

namespace {
Error malformed(const QString &what)
{
    return Error{0, QStringLiteral("malformed trace record: %1").arg(what)};
}

Endpoint endpointOf(const __u8 (&address)[16], std::uint16_t port)
{
    Endpoint endpoint;
    std::copy(std::begin(address), std::end(address), endpoint.address.begin());
    endpoint.port = port;
    return endpoint;
}
} // namespace

Result<TraceEvent> decodeTraceRecord(std::span<const std::byte> bytes)
{
    sockscope_trace_record raw;
    if (bytes.size() != sizeof raw)
        return malformed(QStringLiteral("%1 bytes, expected %2").arg(bytes.size()).arg(sizeof raw));
    // Copied out: the ring buffer gives no alignment guarantee we want to rely on.
    std::memcpy(&raw, bytes.data(), sizeof raw);

    TraceEvent event;
    switch (raw.kind) {
    case SOCKSCOPE_TRACE_STATE_CHANGE:
        event.kind = TraceKind::StateChange;
        break;
    case SOCKSCOPE_TRACE_SEND_RESET:
        event.kind = TraceKind::SendReset;
        break;
    case SOCKSCOPE_TRACE_RECEIVE_RESET:
        event.kind = TraceKind::ReceiveReset;
        break;
    default:
        return malformed(QStringLiteral("unknown kind %1").arg(raw.kind));
    }
    if (raw.family == AF_INET)
        event.family = Family::IPv4;
    else if (raw.family == AF_INET6)
        event.family = Family::IPv6;
    else
        return malformed(QStringLiteral("unknown address family %1").arg(raw.family));

    event.timeNs = static_cast<std::int64_t>(raw.time_ns);
    event.from = tcpStateFromKernel(raw.old_state);
    event.to = tcpStateFromKernel(raw.new_state);
    event.local = endpointOf(raw.local_addr, raw.local_port);
    event.remote = endpointOf(raw.remote_addr, raw.remote_port);
    event.cookie = raw.cookie;
    event.pid = static_cast<int>(raw.pid);
    event.finReceived = (raw.flags & SOCKSCOPE_TRACE_FIN_RECEIVED) != 0;
    if (event.pid != 0)
        event.command =
            QString::fromLocal8Bit(raw.comm, qsizetype(strnlen(raw.comm, sizeof raw.comm)));
    return event;
}

} // namespace sockscope
