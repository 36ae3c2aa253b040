// SPDX-License-Identifier: GPL-3.0-or-later
#include "netlink/diagclient.h"

#include "netlink/diagparser.h"
#include "netlink/portfilter.h"
#include "netns/namespacescope.h"
#include "util/descriptorcount.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

namespace sockscope {

namespace {

// The kernel sizes each dump datagram after our largest read, capped at 32 KiB;
// a bigger buffer can never be truncated (MSG_TRUNC) and costs nothing.
std::size_t receiveBufferSize()
{
    return std::max<std::size_t>(64 * 1024, static_cast<std::size_t>(MNL_SOCKET_BUFFER_SIZE));
}
constexpr int kMaxDumpAttempts = 5;
constexpr std::uint32_t kSynRecvBit = 1u << 3;
constexpr std::uint32_t kNewSynRecvBit = 1u << 12;

QString openFix(int errnum)
{
    switch (errnum) {
    case EMFILE:
        return descriptorsUsedUpText();
    case ENFILE:
        return QStringLiteral("the system-wide file table is full; close files or raise "
                              "fs.file-max");
    case EPROTONOSUPPORT:
    case EAFNOSUPPORT:
        return QStringLiteral("load the inet_diag and tcp_diag kernel modules as root: "
                              "modprobe inet_diag tcp_diag");
    case EPERM:
    case EACCES:
        return QStringLiteral("netlink sockets are forbidden here; allow socket(AF_NETLINK, "
                              "NETLINK_SOCK_DIAG) in the sandbox's seccomp profile (or run "
                              "outside the sandbox)");
    case ENOMEM:
    case ENOBUFS:
        return QStringLiteral("the kernel is short of memory; close sockets and retry");
    default:
        return QString();
    }
}

Error openError(int errnum)
{
    Error error =
        Error::fromErrno(errnum, QStringLiteral("cannot open a sock_diag netlink socket"));
    if (const QString fix = openFix(errnum); !fix.isEmpty())
        error.message += QStringLiteral("; ") + fix;
    return error;
}

QString familyLabel(Family family)
{
    return family == Family::IPv4 ? QStringLiteral("IPv4") : QStringLiteral("IPv6");
}

std::uint8_t addressFamily(Family family)
{
    return family == Family::IPv4 ? AF_INET : AF_INET6;
}

// Request sockets (the kernel's NEW_SYN_RECV, 12) are what `SYN_RECV` means to a
// user and are reported as SynRecv, so bit 3 alone decides about both.
std::uint32_t kernelStateMask(std::uint32_t mask)
{
    mask &= ~kNewSynRecvBit;
    return (mask & kSynRecvBit) ? (mask | kNewSynRecvBit) : mask;
}

Error withContext(const QString &what, const Error &error)
{
    return Error{error.errnum, QStringLiteral("%1: %2").arg(what, error.message)};
}

// One sock_diag request about TCP sockets, laid out in its own buffer: the
// netlink header, the request for the caller to fill further (ids,
// extensions) and attributes after it (the port filter fits).
struct DiagRequest
{
    // SOCK_DIAG_BY_FAMILY or SOCK_DESTROY: one family, in `diag`.
    DiagRequest(std::uint16_t type, std::uint16_t flags, unsigned sequence, Family family,
                std::uint32_t states)
        : DiagRequest(type, flags, sequence)
    {
        diag = static_cast<inet_diag_req_v2 *>(
            mnl_nlmsg_put_extra_header(message, sizeof(inet_diag_req_v2)));
        diag->sdiag_family = addressFamily(family);
        diag->sdiag_protocol = IPPROTO_TCP;
        diag->idiag_states = states;
    }
    // A dump of both families: the old TCPDIAG_GETSOCK asks for any family
    // (AF_UNSPEC), so the kernel walks its TCP hash tables once, where
    // SOCK_DIAG_BY_FAMILY walks them once per family. Each walk visits every
    // bucket of a table sized for the machine (262,144 buckets, shared by
    // every namespace): most of a dump's cost while few sockets exist.
    DiagRequest(unsigned sequence, std::uint32_t states, std::uint8_t extensions)
        : DiagRequest(TCPDIAG_GETSOCK, NLM_F_REQUEST | NLM_F_DUMP, sequence)
    {
        auto *both = static_cast<inet_diag_req *>(
            mnl_nlmsg_put_extra_header(message, sizeof(inet_diag_req)));
        both->idiag_family = AF_INET; // not read for a dump
        both->idiag_ext = extensions;
        both->idiag_states = states;
    }
    DiagRequest(const DiagRequest &) = delete;
    DiagRequest &operator=(const DiagRequest &) = delete;

    alignas(nlmsghdr) char buffer[256];
    nlmsghdr *message;
    inet_diag_req_v2 *diag = nullptr;

private:
    DiagRequest(std::uint16_t type, std::uint16_t flags, unsigned sequence)
        : message(mnl_nlmsg_put_header(buffer))
    {
        message->nlmsg_type = type;
        message->nlmsg_flags = flags;
        message->nlmsg_seq = sequence;
    }
};

} // namespace

Result<mnl_socket *> openSockDiagSocket(int flags, const NetworkNamespace &ns)
{
    auto scope = NamespaceScope::enter(ns);
    if (!scope)
        return scope.error();
    mnl_socket *socket = mnl_socket_open2(NETLINK_SOCK_DIAG, flags);
    if (!socket)
        return openError(errno);
    if (mnl_socket_bind(socket, 0, MNL_SOCKET_AUTOPID) < 0) {
        const int errnum = errno;
        mnl_socket_close(socket);
        return openError(errnum);
    }
    return socket;
}

DiagClient::DiagClient(mnl_socket *socket, NetworkNamespace ns)
    : m_socket(socket), m_namespace(std::move(ns)), m_portId(mnl_socket_get_portid(socket)),
      m_buffer(receiveBufferSize())
{
}

DiagClient::~DiagClient()
{
    if (m_socket)
        mnl_socket_close(m_socket);
}

Result<std::unique_ptr<DiagClient>> DiagClient::open(const NetworkNamespace &ns)
{
    auto socket = openSockDiagSocket(SOCK_CLOEXEC, ns);
    if (!socket)
        return socket.error();
    return std::unique_ptr<DiagClient>(new DiagClient(*socket, ns));
}

unsigned DiagClient::nextSequence()
{
    // 0 would switch off libmnl's sequence check.
    if (++m_sequence == 0)
        ++m_sequence;
    return m_sequence;
}

Status DiagClient::reopenIfNeeded()
{
    if (!m_needsReopen)
        return Ok{};
    auto socket = openSockDiagSocket(SOCK_CLOEXEC, m_namespace);
    if (!socket)
        return socket.error();
    mnl_socket_close(m_socket);
    m_socket = *socket;
    m_portId = mnl_socket_get_portid(m_socket);
    m_needsReopen = false;
    return Ok{};
}

Status DiagClient::send(const void *message, std::size_t length)
{
    if (auto reopened = reopenIfNeeded(); !reopened)
        return reopened;
    for (;;) {
        if (mnl_socket_sendto(m_socket, message, length) >= 0)
            return Ok{};
        if (errno != EINTR)
            return Error::fromErrno(errno, QStringLiteral("sending the request"));
    }
}

Result<std::vector<SocketRecord>> DiagClient::dump(const DumpFilter &filter)
{
    std::vector<SocketRecord> records;
    records.reserve(m_lastDumpSize + m_lastDumpSize / 8 + 64);
    if (auto status = dumpFamily(filter.family, filter, records, nullptr); !status)
        return status.error();
    m_lastDumpSize = records.size();
    return records;
}

Status DiagClient::stream(const DumpFilter &filter, const RecordSink &sink)
{
    std::vector<SocketRecord> part;
    part.reserve(512);
    if (auto status = dumpFamily(filter.family, filter, part, &sink); !status)
        return status.error();
    return Ok{};
}

Result<Ok> DiagClient::dumpFamily(std::optional<Family> family, const DumpFilter &filter,
                                  std::vector<SocketRecord> &out, const RecordSink *sink)
{
    const QString what =
        QStringLiteral("dumping %1 TCP sockets (%2%3)")
            .arg(family ? familyLabel(*family) : QStringLiteral("IPv4 and IPv6"),
                 family ? QStringLiteral("SOCK_DIAG_BY_FAMILY") : QStringLiteral("TCPDIAG_GETSOCK"),
                 filter.port ? QStringLiteral(", port %1").arg(*filter.port) : QString());
    const QByteArray bytecode = filter.port ? portFilterBytecode(*filter.port) : QByteArray();
    const std::size_t firstRecord = out.size();

    for (int attempt = 1; attempt <= kMaxDumpAttempts; ++attempt) {
        out.erase(out.begin() + static_cast<std::ptrdiff_t>(firstRecord), out.end());

        const std::uint8_t extensions = filter.withTcpInfo ? 1u << (INET_DIAG_INFO - 1) : 0;
        const std::uint32_t states = kernelStateMask(filter.stateMask);
        std::optional<DiagRequest> request;
        if (family) {
            request.emplace(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, nextSequence(),
                            *family, states);
            request->diag->idiag_ext = extensions;
        } else {
            request.emplace(nextSequence(), states, extensions);
        }
        nlmsghdr *message = request->message;
        if (!bytecode.isEmpty())
            mnl_attr_put(message, INET_DIAG_REQ_BYTECODE, static_cast<std::size_t>(bytecode.size()),
                         bytecode.constData());

        if (auto sent = send(message, message->nlmsg_len); !sent)
            return withContext(what, sent.error());
        auto received = receiveDump(message->nlmsg_seq, out, sink);
        if (!received && received.error().errnum == ENOENT)
            return Error{ENOENT, QStringLiteral("%1: the kernel has no TCP diag handler; load the "
                                                "tcp_diag module")
                                     .arg(what)};
        if (!received)
            return withContext(what, received.error());
        if (*received == Attempt::Finished)
            return Ok{};
        if (sink)
            return Error{EINTR,
                         QStringLiteral("%1: the kernel interrupted the dump (NLM_F_DUMP_INTR "
                                        "or ENOBUFS) after part of it was written; what "
                                        "came before may be incomplete, run it again")
                             .arg(what)};
    }
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(firstRecord), out.end());
    return Error{EINTR, QStringLiteral("%1: %2 attempts in a row were interrupted by the kernel "
                                       "(NLM_F_DUMP_INTR) or overran the socket (ENOBUFS) "
                                       "while the socket tables kept changing; try again")
                            .arg(what)
                            .arg(kMaxDumpAttempts)};
}

Result<DiagClient::Attempt>
DiagClient::receiveDump(unsigned sequence, std::vector<SocketRecord> &out, const RecordSink *sink)
{
    // Until the reply is read to its end, whatever is left of it is queued on the socket.
    m_needsReopen = true;
    for (;;) {
        const ssize_t length = mnl_socket_recvfrom(m_socket, m_buffer.data(), m_buffer.size());
        if (length < 0) {
            if (errno == EINTR)
                continue;
            if (errno == ENOBUFS)
                return Attempt::Restart;
            return Error::fromErrno(errno, QStringLiteral("receiving the reply"));
        }
        auto progress = parseDumpBuffer(
            std::span(m_buffer.data(), static_cast<std::size_t>(length)), sequence, m_portId, out);
        if (!progress)
            return progress.error();
        if (sink) {
            (*sink)(std::span<const SocketRecord>(out));
            out.clear();
        }
        switch (*progress) {
        case DumpProgress::More:
            continue;
        case DumpProgress::Interrupted:
            return Attempt::Restart;
        case DumpProgress::Done:
            m_needsReopen = false;
            return Attempt::Finished;
        }
    }
}

Status DiagClient::destroy(const SocketRecord &socket)
{
    const QString what = QStringLiteral("destroying %1 (SOCK_DESTROY)")
                             .arg(socket.local.text(socket.family) + QStringLiteral(" -> ") +
                                  socket.remote.text(socket.family));
    DiagRequest request(SOCK_DESTROY, NLM_F_REQUEST | NLM_F_ACK, nextSequence(), socket.family,
                        0xFFFFFFFFu);
    inet_diag_req_v2 *diag = request.diag;
    const std::size_t addressBytes = socket.family == Family::IPv4 ? 4 : 16;
    std::memcpy(diag->id.idiag_src, socket.local.address.data(), addressBytes);
    std::memcpy(diag->id.idiag_dst, socket.remote.address.data(), addressBytes);
    diag->id.idiag_sport = htons(socket.local.port);
    diag->id.idiag_dport = htons(socket.remote.port);
    // With the cookie the kernel refuses (ESTALE) a newer socket on the same addresses.
    diag->id.idiag_cookie[0] = static_cast<std::uint32_t>(socket.cookie);
    diag->id.idiag_cookie[1] = static_cast<std::uint32_t>(socket.cookie >> 32);

    if (auto sent = send(request.message, request.message->nlmsg_len); !sent)
        return withContext(what, sent.error());
    std::vector<SocketRecord> unexpected;
    auto received = receiveDump(request.message->nlmsg_seq, unexpected, nullptr);
    if (!received) {
        const Error &error = received.error();
        switch (error.errnum) {
        case EPERM:
            return Error{EPERM, QStringLiteral("%1: needs CAP_NET_ADMIN (run as root)").arg(what)};
        case EOPNOTSUPP:
            return Error{EOPNOTSUPP, QStringLiteral("%1: the kernel was built without "
                                                    "CONFIG_INET_DIAG_DESTROY")
                                         .arg(what)};
        case ENOENT:
            return Error{ENOENT, QStringLiteral("%1: the socket no longer exists").arg(what)};
        case ESTALE:
            return Error{ESTALE,
                         QStringLiteral("%1: a newer socket now holds these addresses").arg(what)};
        default:
            return withContext(what, error);
        }
    }
    if (*received == Attempt::Restart)
        return Error{EINTR, QStringLiteral("%1: the reply was lost; try again").arg(what)};
    return Ok{};
}

} // namespace sockscope
