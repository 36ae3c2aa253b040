// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "netlink/dumpfilter.h"
#include "netns/networknamespace.h"
#include "util/result.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <vector>

struct mnl_socket;

namespace sockscope {

// A NETLINK_SOCK_DIAG socket that dumps TCP sockets (inet_diag_req_v2) for
// IPv4 and IPv6. Not thread-safe: one client per thread.
class DiagClient
{
public:
    ~DiagClient();
    DiagClient(const DiagClient &) = delete;
    DiagClient &operator=(const DiagClient &) = delete;

    // Opens and binds the netlink socket. Fails with the errno of socket()/bind()
    // (EMFILE, ENFILE, EPERM...) and a message naming the fix. `ns`: dump that
    // network namespace's sockets (the socket is made inside it, and so is
    // any socket the client reopens); default: the calling thread's.
    static Result<std::unique_ptr<DiagClient>> open(const NetworkNamespace &ns = {});

    // Dumps every TCP socket matching the filter. An interrupted dump
    // (NLM_F_DUMP_INTR) is retried up to 5 times; EINTR is retried; ENOBUFS restarts
    // the dump. Fails with a clear Error on malformed replies (never reads past a
    // buffer) or when the kernel refuses the request, and with EINTR after 5
    // restarts. The SYN_RECV bit of the state mask also selects request sockets
    // (the kernel's NEW_SYN_RECV, bit 12, which is itself ignored).
    Result<std::vector<SocketRecord>> dump(const DumpFilter &filter);

    // The same dump handed over one received datagram at a time (about 200
    // sockets; the span lives until the call returns), so that a caller can
    // write each part out while the kernel prepares the next, in memory that
    // does not grow with the socket count. Records handed over cannot be taken
    // back, so an interrupted dump is not retried: it fails with EINTR.
    using RecordSink = std::function<void(std::span<const SocketRecord>)>;
    Status stream(const DumpFilter &filter, const RecordSink &sink);

    // Asks the kernel to abort this socket (SOCK_DESTROY, like `ss -K`). Needs
    // CAP_NET_ADMIN; fails with EPERM otherwise, EOPNOTSUPP without
    // CONFIG_INET_DIAG_DESTROY, ENOENT when the socket is gone, ESTALE when the
    // record's cookie belongs to an older socket on the same addresses.
    Status destroy(const SocketRecord &socket);

private:
    DiagClient(mnl_socket *socket, NetworkNamespace ns);
    // nullopt: both families in one request.
    Result<Ok> dumpFamily(std::optional<Family> family, const DumpFilter &filter,
                          std::vector<SocketRecord> &out, const RecordSink *sink);
    // What one attempt of a dump ended with: finished, or to be started again.
    enum class Attempt
    {
        Finished,
        Restart
    };
    Result<Attempt> receiveDump(unsigned sequence, std::vector<SocketRecord> &out,
                                const RecordSink *sink);
    Status send(const void *message, std::size_t length);
    Status reopenIfNeeded();
    unsigned nextSequence();

    mnl_socket *m_socket = nullptr;
    NetworkNamespace m_namespace;
    unsigned m_portId = 0;
    unsigned m_sequence = 0;
    // Set when a request was abandoned before its reply was read to the end: the
    // rest would still arrive, so the next request starts on a fresh socket.
    bool m_needsReopen = false;
    std::size_t m_lastDumpSize = 0;
    std::vector<std::byte> m_buffer;
};

// Opens a NETLINK_SOCK_DIAG socket (`flags`: SOCK_CLOEXEC, SOCK_NONBLOCK) bound to
// a kernel-assigned port id. Fails with the errno of socket()/bind() and a message
// naming the fix. Shared with DestroyWatcher; the caller owns the socket.
// Made inside `ns` (see NamespaceScope), where it then stays.
Result<mnl_socket *> openSockDiagSocket(int flags, const NetworkNamespace &ns = {});

} // namespace sockscope
