// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/labsockets.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

namespace sockscope {

SockAddress makeSockAddress(Family family, const Endpoint &endpoint)
{
    SockAddress result;
    if (family == Family::IPv6) {
        auto *address = reinterpret_cast<sockaddr_in6 *>(&result.storage);
        address->sin6_family = AF_INET6;
        std::memcpy(&address->sin6_addr, endpoint.address.data(), 16);
        address->sin6_port = htons(endpoint.port);
        result.length = sizeof(sockaddr_in6);
    } else {
        auto *address = reinterpret_cast<sockaddr_in *>(&result.storage);
        address->sin_family = AF_INET;
        std::memcpy(&address->sin_addr, endpoint.address.data(), 4);
        address->sin_port = htons(endpoint.port);
        result.length = sizeof(sockaddr_in);
    }
    return result;
}

Endpoint endpointOf(const sockaddr_storage &storage)
{
    Endpoint endpoint;
    if (storage.ss_family == AF_INET6) {
        const auto *address = reinterpret_cast<const sockaddr_in6 *>(&storage);
        std::memcpy(endpoint.address.data(), &address->sin6_addr, 16);
        endpoint.port = ntohs(address->sin6_port);
    } else if (storage.ss_family == AF_INET) {
        const auto *address = reinterpret_cast<const sockaddr_in *>(&storage);
        std::memcpy(endpoint.address.data(), &address->sin_addr, 4);
        endpoint.port = ntohs(address->sin_port);
    }
    return endpoint;
}

Endpoint localEndpointOf(int fd)
{
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return {};
    return endpointOf(storage);
}

Endpoint peerEndpointOf(int fd)
{
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return {};
    return endpointOf(storage);
}

bool setSocketFlag(int fd, int level, int option, bool on)
{
    const int value = on ? 1 : 0;
    return ::setsockopt(fd, level, option, &value, sizeof value) == 0;
}

std::optional<int> discardUntilEnd(int fd)
{
    char buffer[16384];
    for (int round = 0; round < 16; ++round) {
        const ssize_t got = ::read(fd, buffer, sizeof buffer);
        if (got > 0)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EINTR))
            return std::nullopt;
        return got == 0 ? 0 : errno;
    }
    return std::nullopt;
}

bool setLingerZero(int fd)
{
    const linger value{1, 0};
    return ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, sizeof value) == 0;
}

int acceptQueueLength(int listenFd)
{
    tcp_info info{};
    socklen_t length = sizeof info;
    if (::getsockopt(listenFd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0)
        return 0;
    return static_cast<int>(info.tcpi_unacked);
}

bool setNonBlocking(int fd, bool on)
{
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0)
        return false;
    return ::fcntl(fd, F_SETFL, on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK)) == 0;
}

SocketAttempt openListenSocket(const ListenSocketOptions &options)
{
    using Operation = FailureContext::Operation;
    SocketAttempt attempt;
    const auto fail = [&attempt](Operation operation) {
        attempt.errnum = errno;
        attempt.failedAt = operation;
        attempt.fd.reset();
        return std::move(attempt);
    };
    const int domain = options.family == Family::IPv6 ? AF_INET6 : AF_INET;
    const int type = SOCK_STREAM | SOCK_CLOEXEC | (options.nonBlocking ? SOCK_NONBLOCK : 0);
    attempt.fd.reset(::socket(domain, type, IPPROTO_TCP));
    if (!attempt.fd.valid())
        return fail(Operation::Socket);
    const int fd = attempt.fd.get();
    if (options.reuseAddr && !setSocketFlag(fd, SOL_SOCKET, SO_REUSEADDR))
        return fail(Operation::Socket);
    if (options.reusePort && !setSocketFlag(fd, SOL_SOCKET, SO_REUSEPORT))
        return fail(Operation::Socket);
    if (options.family == Family::IPv6 && !setSocketFlag(fd, IPPROTO_IPV6, IPV6_V6ONLY))
        return fail(Operation::Socket);
    const SockAddress address = makeSockAddress(options.family, options.local);
    if (::bind(fd, address.data(), address.length) != 0)
        return fail(Operation::Bind);
    if (::listen(fd, options.backlog) != 0)
        return fail(Operation::Listen);
    return attempt;
}

} // namespace sockscope
