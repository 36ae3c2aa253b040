// SPDX-License-Identifier: GPL-3.0-or-later
#include "netlink/diagparser.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <libmnl/libmnl.h>
#include <limits>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <optional>
#include <sys/socket.h>

namespace sockscope {

namespace {

Error malformed(const QString &what)
{
    return Error{EBADMSG, QStringLiteral("malformed sock_diag message: %1").arg(what)};
}

TimerKind timerFromKernel(std::uint8_t value)
{
    switch (value) {
    case 1:
        return TimerKind::Retransmit;
    case 2:
        return TimerKind::Keepalive;
    case 3:
        return TimerKind::TimeWait;
    case 4:
        return TimerKind::Probe;
    default:
        return TimerKind::Off;
    }
}

Endpoint endpointFrom(const __be32 (&address)[4], __be16 port, std::size_t addressBytes)
{
    Endpoint endpoint;
    std::memcpy(endpoint.address.data(), address, addressBytes);
    endpoint.port = ntohs(port);
    return endpoint;
}

TcpInfoSummary summarize(std::span<const std::byte> value)
{
    // Older kernels send a shorter tcp_info; the fields they lack stay zero.
    tcp_info info{};
    std::memcpy(&info, value.data(), std::min(value.size(), sizeof info));
    TcpInfoSummary summary;
    summary.rttUs = info.tcpi_rtt;
    summary.rttVarUs = info.tcpi_rttvar;
    summary.sendCwnd = info.tcpi_snd_cwnd;
    summary.bytesAcked = info.tcpi_bytes_acked;
    summary.bytesReceived = info.tcpi_bytes_received;
    summary.lastDataSentMs = info.tcpi_last_data_sent;
    summary.lastDataRecvMs = info.tcpi_last_data_recv;
    return summary;
}

Status parseAttributes(std::span<const std::byte> attributes, SocketRecord &record)
{
    while (!attributes.empty()) {
        if (attributes.size() < sizeof(nlattr))
            return malformed(QStringLiteral("%1 trailing bytes after the attributes, too few for "
                                            "an attribute header")
                                 .arg(attributes.size()));
        nlattr header;
        std::memcpy(&header, attributes.data(), sizeof header);
        if (header.nla_len < sizeof(nlattr))
            return malformed(
                QStringLiteral("attribute %1 claims length %2, shorter than its header")
                    .arg(header.nla_type)
                    .arg(header.nla_len));
        if (header.nla_len > attributes.size())
            return malformed(
                QStringLiteral("attribute %1 claims length %2 but only %3 bytes remain")
                    .arg(header.nla_type)
                    .arg(header.nla_len)
                    .arg(attributes.size()));
        const auto value = attributes.subspan(sizeof(nlattr), header.nla_len - sizeof(nlattr));
        if ((header.nla_type & NLA_TYPE_MASK) == INET_DIAG_INFO)
            record.info = summarize(value);
        // The last attribute may come without its alignment padding.
        attributes =
            attributes.subspan(std::min<std::size_t>(NLA_ALIGN(header.nla_len), attributes.size()));
    }
    return Ok{};
}

// Fills `record` in place: a dump appends straight into its vector, without
// moving every record through a Result.
Status decode(std::span<const std::byte> payload, SocketRecord &record)
{
    if (payload.size() < sizeof(inet_diag_msg))
        return malformed(QStringLiteral("payload of %1 bytes is shorter than inet_diag_msg (%2)")
                             .arg(payload.size())
                             .arg(sizeof(inet_diag_msg)));
    inet_diag_msg message;
    std::memcpy(&message, payload.data(), sizeof message);

    std::size_t addressBytes = 0;
    if (message.idiag_family == AF_INET) {
        record.family = Family::IPv4;
        addressBytes = 4;
    } else if (message.idiag_family == AF_INET6) {
        record.family = Family::IPv6;
        addressBytes = 16;
    } else {
        return Error{EAFNOSUPPORT,
                     QStringLiteral("sock_diag message for address family %1, expected AF_INET or "
                                    "AF_INET6")
                         .arg(message.idiag_family)};
    }
    record.state = tcpStateFromKernel(message.idiag_state);
    record.local = endpointFrom(message.id.idiag_src, message.id.idiag_sport, addressBytes);
    record.remote = endpointFrom(message.id.idiag_dst, message.id.idiag_dport, addressBytes);
    record.recvQ = message.idiag_rqueue;
    record.sendQ = message.idiag_wqueue;
    record.timer = timerFromKernel(message.idiag_timer);
    record.expiresMs = message.idiag_expires;
    record.retrans = message.idiag_retrans;
    record.uid = message.idiag_uid;
    record.inode = message.idiag_inode;
    record.cookie =
        message.id.idiag_cookie[0] | (static_cast<std::uint64_t>(message.id.idiag_cookie[1]) << 32);

    const std::size_t attributesAt = std::min(NLMSG_ALIGN(sizeof(inet_diag_msg)), payload.size());
    return parseAttributes(payload.subspan(attributesAt), record);
}

struct WalkState
{
    std::vector<SocketRecord> *out = nullptr;
    std::optional<Error> error;
};

int onData(const nlmsghdr *message, void *data)
{
    auto *state = static_cast<WalkState *>(data);
    // Replies carry the request's type: TCPDIAG_GETSOCK for both families at once.
    if (message->nlmsg_type != SOCK_DIAG_BY_FAMILY && message->nlmsg_type != TCPDIAG_GETSOCK)
        return MNL_CB_OK;
    const std::span payload(static_cast<const std::byte *>(mnl_nlmsg_get_payload(message)),
                            mnl_nlmsg_get_payload_len(message));
    SocketRecord &record = state->out->emplace_back();
    if (auto status = decode(payload, record); !status) {
        state->out->pop_back();
        state->error = status.error();
        return MNL_CB_ERROR;
    }
    return MNL_CB_OK;
}

// The errno of a kernel status (-ENOENT...); INT_MIN has no positive int.
int errnoOfStatus(int status)
{
    return status == std::numeric_limits<int>::min() ? std::numeric_limits<int>::max()
                                                     : std::abs(status);
}

int onError(const nlmsghdr *message, void *data)
{
    auto *state = static_cast<WalkState *>(data);
    int error = 0;
    if (mnl_nlmsg_get_payload_len(message) < sizeof error) {
        state->error = malformed(QStringLiteral("NLMSG_ERROR too short to hold an error code"));
        return MNL_CB_ERROR;
    }
    std::memcpy(&error, mnl_nlmsg_get_payload(message), sizeof error);
    if (error == 0) // an acknowledgement
        return MNL_CB_STOP;
    state->error =
        Error::fromErrno(errnoOfStatus(error), QStringLiteral("the kernel refused the request"));
    return MNL_CB_ERROR;
}

int onDone(const nlmsghdr *message, void *data)
{
    // A dump that failed half-way reports its negative errno in NLMSG_DONE.
    auto *state = static_cast<WalkState *>(data);
    int status = 0;
    if (mnl_nlmsg_get_payload_len(message) >= sizeof status)
        std::memcpy(&status, mnl_nlmsg_get_payload(message), sizeof status);
    if (status < 0) {
        state->error =
            Error::fromErrno(errnoOfStatus(status), QStringLiteral("the kernel aborted the dump"));
        return MNL_CB_ERROR;
    }
    return MNL_CB_STOP;
}

// mnl_cb_run stops silently at bytes that do not form a whole message; a datagram
// must consist of whole messages, so anything left over is a truncated message.
// Checked here without libmnl: mnl_nlmsg_ok() compares nlmsg_len as an int, so
// a length of 2 GiB or more passes as negative and mnl_nlmsg_next() jumps far
// outside the buffer. mnl_cb_run2 only runs on buffers this accepted.
bool wholeMessages(std::span<const std::byte> buffer)
{
    while (buffer.size() >= sizeof(nlmsghdr)) {
        nlmsghdr header;
        std::memcpy(&header, buffer.data(), sizeof header);
        if (header.nlmsg_len < sizeof(nlmsghdr) || header.nlmsg_len > buffer.size())
            return false;
        // The last message may come without its alignment padding.
        buffer =
            buffer.subspan(std::min<std::size_t>(NLMSG_ALIGN(header.nlmsg_len), buffer.size()));
    }
    return buffer.empty();
}

} // namespace

Result<SocketRecord> parseInetDiagMessage(std::span<const std::byte> payload)
{
    SocketRecord record;
    if (auto status = decode(payload, record); !status)
        return status.error();
    return record;
}

Result<DumpProgress> parseDumpBuffer(std::span<const std::byte> buffer, unsigned sequence,
                                     unsigned portId, std::vector<SocketRecord> &out)
{
    if (!wholeMessages(buffer))
        return malformed(QStringLiteral("a netlink message is truncated (%1 bytes received)")
                             .arg(buffer.size()));

    mnl_cb_t control[NLMSG_MIN_TYPE] = {};
    control[NLMSG_ERROR] = onError;
    control[NLMSG_DONE] = onDone;
    WalkState state{&out, std::nullopt};
    const int result = mnl_cb_run2(buffer.data(), buffer.size(), sequence, portId, onData, &state,
                                   control, NLMSG_MIN_TYPE);
    if (result == MNL_CB_STOP)
        return DumpProgress::Done;
    if (result > MNL_CB_STOP)
        return DumpProgress::More;
    if (state.error)
        return *state.error;
    switch (errno) {
    case EINTR:
        return DumpProgress::Interrupted;
    case ESRCH:
        return Error{ESRCH, QStringLiteral("a netlink message came from another port than the "
                                           "kernel's reply to this socket")};
    case EPROTO:
        return Error{EPROTO, QStringLiteral("a netlink reply carries the sequence number of "
                                            "another request")};
    default:
        return Error::fromErrno(errno, QStringLiteral("walking the netlink reply"));
    }
}

} // namespace sockscope
