// SPDX-License-Identifier: GPL-3.0-or-later
#include "netlink/destroywatcher.h"

#include "netlink/diagclient.h"
#include "netlink/diagparser.h"

#include <algorithm>
#include <cerrno>
#include <libmnl/libmnl.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>

namespace sockscope {

namespace {
std::size_t receiveBufferSize()
{
    return std::max<std::size_t>(64 * 1024, static_cast<std::size_t>(MNL_SOCKET_BUFFER_SIZE));
}
// A server closing thousands of connections at once produces a burst of
// notifications faster than a poll loop drains them; room for a few thousand
// keeps ENOBUFS for real overloads.
constexpr int kSocketReceiveBuffer = 4 * 1024 * 1024;
} // namespace

DestroyWatcher::DestroyWatcher(mnl_socket *socket) : m_socket(socket), m_buffer(receiveBufferSize())
{
}

DestroyWatcher::~DestroyWatcher()
{
    if (m_socket)
        mnl_socket_close(m_socket);
}

Result<std::unique_ptr<DestroyWatcher>> DestroyWatcher::open(const NetworkNamespace &ns)
{
    auto socket = openSockDiagSocket(SOCK_CLOEXEC | SOCK_NONBLOCK, ns);
    if (!socket)
        return socket.error();
    std::unique_ptr<DestroyWatcher> watcher(new DestroyWatcher(*socket));

    for (int group : {SKNLGRP_INET_TCP_DESTROY, SKNLGRP_INET6_TCP_DESTROY}) {
        if (mnl_socket_setsockopt(watcher->m_socket, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) <
            0) {
            const int errnum = errno;
            if (errnum == EPERM)
                return Error{EPERM, QStringLiteral("joining the sock_diag destroy groups was "
                                                   "refused; run as root or relax the sandbox")};
            return Error::fromErrno(errnum,
                                    QStringLiteral("joining sock_diag group %1").arg(group));
        }
    }
    // Above net.core.rmem_max only with CAP_NET_ADMIN, which joining needed anyway;
    // a smaller buffer still works, it only overflows sooner.
    const int fd = mnl_socket_get_fd(watcher->m_socket);
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &kSocketReceiveBuffer,
                     sizeof kSocketReceiveBuffer) != 0)
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kSocketReceiveBuffer, sizeof kSocketReceiveBuffer);
    return watcher;
}

int DestroyWatcher::fd() const
{
    return mnl_socket_get_fd(m_socket);
}

Result<std::vector<SocketRecord>> DestroyWatcher::readPending()
{
    std::vector<SocketRecord> records;
    for (;;) {
        const ssize_t length = mnl_socket_recvfrom(m_socket, m_buffer.data(), m_buffer.size());
        if (length < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return records;
            if (errno == EINTR)
                continue;
            if (errno == ENOBUFS) {
                ++m_lost;
                continue;
            }
            return Error::fromErrno(errno, QStringLiteral("reading destroy notifications"));
        }
        // Notifications carry neither a sequence number nor our port id.
        auto parsed = parseDumpBuffer(std::span(m_buffer.data(), static_cast<std::size_t>(length)),
                                      0, 0, records);
        if (!parsed)
            return Error{
                parsed.error().errnum,
                QStringLiteral("reading destroy notifications: %1").arg(parsed.error().message)};
    }
}

} // namespace sockscope
