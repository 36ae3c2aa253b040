// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "explain/explainer.h"
#include "model/socketrecord.h"
#include "util/uniquefd.h"

#include <optional>
#include <sys/socket.h>

namespace sockscope {

// The socket calls shared by the lab's listeners, clients and the server
// child, so all of them set options the same way. Every descriptor is
// SOCK_CLOEXEC: server children must not inherit the GUI's sockets.

struct SockAddress
{
    sockaddr_storage storage{};
    socklen_t length = 0;
    const sockaddr *data() const { return reinterpret_cast<const sockaddr *>(&storage); }
};
SockAddress makeSockAddress(Family family, const Endpoint &endpoint);
Endpoint endpointOf(const sockaddr_storage &storage);
// getsockname / getpeername; an all-zero Endpoint when the call fails.
Endpoint localEndpointOf(int fd);
Endpoint peerEndpointOf(int fd);

// A descriptor, or the errno and the step that failed (for explainFailure).
struct SocketAttempt
{
    UniqueFd fd;
    int errnum = 0;
    FailureContext::Operation failedAt = FailureContext::Operation::Socket;
    bool ok() const { return errnum == 0; }
};

struct ListenSocketOptions
{
    Family family = Family::IPv4;
    Endpoint local;
    bool reuseAddr = false;
    bool reusePort = false;
    int backlog = 128;
    bool nonBlocking = true; // false for a thread blocked in accept()
};
// socket, SO_REUSEADDR/SO_REUSEPORT as asked, IPV6_V6ONLY=1 for IPv6 (so a
// [::] listener never also takes the IPv4 port, and bind results do not depend
// on net.ipv6.bindv6only), bind, listen. setsockopt failures report as Socket.
SocketAttempt openListenSocket(const ListenSocketOptions &options);

// Sets SO_LINGER {on, 0 s}: the next close() sends RST and skips TIME_WAIT.
bool setLingerZero(int fd);
// Reads and discards what a non-blocking socket has, in bounded rounds so a fast
// sender cannot hold the lab's event loop. nullopt while the peer is still
// open; otherwise what ended it: 0 for EOF (the peer's FIN), else the errno.
std::optional<int> discardUntilEnd(int fd);
bool setSocketFlag(int fd, int level, int option, bool on = true);
// How many completed connections wait in a listening socket's accept queue
// (TCP_INFO's tcpi_unacked is the accept backlog for a LISTEN socket); 0 on error.
int acceptQueueLength(int listenFd);
bool setNonBlocking(int fd, bool on);

} // namespace sockscope
