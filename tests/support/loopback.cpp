// SPDX-License-Identifier: GPL-3.0-or-later
#include "loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <QDir>
#include <sys/socket.h>
#include <unistd.h>

namespace sockscope::test {

namespace {
socklen_t fillLoopback(sockaddr_storage &storage, bool ipv6, std::uint16_t port)
{
    storage = {};
    if (ipv6) {
        auto *address = reinterpret_cast<sockaddr_in6 *>(&storage);
        address->sin6_family = AF_INET6;
        address->sin6_addr = in6addr_loopback;
        address->sin6_port = htons(port);
        return sizeof(sockaddr_in6);
    }
    auto *address = reinterpret_cast<sockaddr_in *>(&storage);
    address->sin_family = AF_INET;
    address->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address->sin_port = htons(port);
    return sizeof(sockaddr_in);
}

void setReuseAddr(int fd)
{
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
}
} // namespace

UniqueFd listenOn(bool ipv6, std::uint16_t port, bool reuseAddr)
{
    UniqueFd fd(::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid())
        return fd;
    if (reuseAddr)
        setReuseAddr(fd.get());
    sockaddr_storage storage;
    const socklen_t length = fillLoopback(storage, ipv6, port);
    if (::bind(fd.get(), reinterpret_cast<sockaddr *>(&storage), length) != 0 ||
        ::listen(fd.get(), 128) != 0)
        return UniqueFd();
    return fd;
}

std::uint16_t localPort(int fd)
{
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return 0;
    if (storage.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in *>(&storage)->sin_port);
}

std::uint16_t freeLoopbackPort()
{
    const UniqueFd listener = listenOn();
    return listener.valid() ? localPort(listener.get()) : 0;
}

UniqueFd connectTo(std::uint16_t port, bool ipv6, std::uint16_t fromPort, bool reuseAddr)
{
    UniqueFd fd(::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid())
        return fd;
    if (reuseAddr)
        setReuseAddr(fd.get());
    sockaddr_storage storage;
    if (fromPort != 0) {
        const socklen_t length = fillLoopback(storage, ipv6, fromPort);
        if (::bind(fd.get(), reinterpret_cast<sockaddr *>(&storage), length) != 0)
            return UniqueFd();
    }
    const socklen_t length = fillLoopback(storage, ipv6, port);
    if (::connect(fd.get(), reinterpret_cast<sockaddr *>(&storage), length) != 0)
        return UniqueFd();
    return fd;
}

UniqueFd acceptOne(int listenFd, int timeoutMs)
{
    pollfd waiter{listenFd, POLLIN, 0};
    if (::poll(&waiter, 1, timeoutMs) != 1)
        return UniqueFd();
    return UniqueFd(::accept4(listenFd, nullptr, nullptr, SOCK_CLOEXEC));
}

int openDescriptorCount()
{
    return static_cast<int>(QDir(QStringLiteral("/proc/self/fd"))
                                .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                                .size());
}

Endpoint loopbackEndpoint(std::uint16_t port)
{
    Endpoint endpoint;
    endpoint.address = {127, 0, 0, 1};
    endpoint.port = port;
    return endpoint;
}

SocketRecord loopbackRecord(std::uint64_t cookie, TcpState state, std::uint16_t localPort,
                            std::uint16_t remotePort, std::uint32_t inode)
{
    SocketRecord r;
    r.state = state;
    r.local = loopbackEndpoint(localPort);
    if (remotePort != 0)
        r.remote = loopbackEndpoint(remotePort);
    r.cookie = cookie;
    r.inode = inode;
    return r;
}

ConnectedPair connectPair(int listenFd, std::uint16_t port, bool ipv6)
{
    ConnectedPair pair;
    pair.client = connectTo(port, ipv6);
    if (pair.client.valid())
        pair.server = acceptOne(listenFd);
    if (pair.server.valid())
        pair.clientPort = localPort(pair.client.get());
    return pair;
}

} // namespace sockscope::test
