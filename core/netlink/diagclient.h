// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "netlink/dumpfilter.h"
#include "util/result.h"

#include <memory>
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
    // (EMFILE, ENFILE, EPERM...) and a message naming the fix.
    static Result<std::unique_ptr<DiagClient>> open();

    // Dumps every TCP socket matching the filter. An interrupted dump
    // (NLM_F_DUMP_INTR) is retried up to 5 times; EINTR is retried; ENOBUFS restarts
    // the dump. Fails with a clear Error on malformed replies (never reads past a
    // buffer) or when the kernel refuses the request.
    Result<std::vector<SocketRecord>> dump(const DumpFilter &filter);

    // Asks the kernel to abort this socket (SOCK_DESTROY, like `ss -K`). Needs
    // CAP_NET_ADMIN; fails with EPERM otherwise, EOPNOTSUPP without
    // CONFIG_INET_DIAG_DESTROY, ENOENT when the socket is gone.
    Status destroy(const SocketRecord &socket);

private:
    explicit DiagClient(mnl_socket *socket);
    Result<Ok> dumpFamily(Family family, const DumpFilter &filter, std::vector<SocketRecord> &out);

    mnl_socket *m_socket = nullptr;
    unsigned m_portId = 0;
    unsigned m_sequence = 0;
};

} // namespace sockscope
