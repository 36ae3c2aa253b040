// SPDX-License-Identifier: GPL-3.0-or-later
// The dump says who is on the port, a real bind says whether the kernel lets
// this socket in (it knows the SO_REUSEADDR flags the dump does not show).
#include "explain/bindchecker.h"

#include "explain/explainer.h"
#include "explain/portsnapshot.h"
#include "format/durationtext.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sockscope {

namespace {

// 0 when a fresh socket with these options binds; errno otherwise. The
// socket never listens and is closed at once, so it leaves nothing behind
// (a bound-only socket has no TIME_WAIT).
int probeBind(Family family, const Endpoint &local, bool reuseAddr, bool reusePort)
{
    const int fd =
        ::socket(family == Family::IPv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    const int one = 1;
    int result = 0;
    if (reuseAddr && ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
        result = errno;
    if (result == 0 && reusePort &&
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
        result = errno;
    if (result == 0) {
        sockaddr_storage address{};
        socklen_t length = 0;
        if (family == Family::IPv6) {
            auto *in6 = reinterpret_cast<sockaddr_in6 *>(&address);
            in6->sin6_family = AF_INET6;
            in6->sin6_port = htons(local.port);
            std::memcpy(&in6->sin6_addr, local.address.data(), 16);
            length = sizeof *in6;
        } else {
            auto *in4 = reinterpret_cast<sockaddr_in *>(&address);
            in4->sin_family = AF_INET;
            in4->sin_port = htons(local.port);
            std::memcpy(&in4->sin_addr, local.address.data(), 4);
            length = sizeof *in4;
        }
        if (::bind(fd, reinterpret_cast<sockaddr *>(&address), length) != 0)
            result = errno;
    }
    ::close(fd);
    return result;
}

QString optionsText(bool reuseAddr, bool reusePort)
{
    QStringList options;
    if (reuseAddr)
        options << QStringLiteral("SO_REUSEADDR");
    if (reusePort)
        options << QStringLiteral("SO_REUSEPORT");
    return options.isEmpty() ? QString()
                             : QStringLiteral(" with ") + options.join(QStringLiteral(" and "));
}

bool onlyConnections(const QList<Culprit> &culprits)
{
    return !culprits.isEmpty() &&
           std::none_of(culprits.begin(), culprits.end(),
                        [](const Culprit &c) { return c.socket.state == TcpState::Listen; });
}

// When every culprit ends on a kernel timer, the port frees itself: say when.
std::optional<std::int64_t> freeInMs(const QList<Culprit> &culprits)
{
    std::int64_t latest = 0;
    for (const Culprit &culprit : culprits) {
        if (!culprit.endsInMs)
            return std::nullopt;
        latest = std::max(latest, *culprit.endsInMs);
    }
    return culprits.isEmpty() ? std::nullopt : std::optional(latest);
}

void describeRefusal(BindVerdict &verdict, Family family, const Endpoint &local, bool reuseAddr,
                     bool reusePort)
{
    Explanation &e = verdict.explanation;
    if (e.errnum != EADDRINUSE || e.culprits.isEmpty())
        return;
    // One culprit already said when it ends; for several, the last one decides.
    if (const auto ms = freeInMs(e.culprits); ms && e.culprits.size() > 1)
        e.summary +=
            QStringLiteral("; the port is free again %1 at the latest").arg(countdownPhrase(*ms));
    if (!reuseAddr && onlyConnections(e.culprits)) {
        // Only the old sockets' flags decide: ask the kernel with a second probe.
        const bool passes = probeBind(family, local, true, reusePort) == 0;
        e.note = passes ? QStringLiteral("a probe bind with SO_REUSEADDR passes now: the sockets "
                                         "holding the port set SO_REUSEADDR too")
                        : QStringLiteral("a probe bind with SO_REUSEADDR fails too: the sockets "
                                         "holding the port did not set SO_REUSEADDR");
    }
}

void describeSharing(BindVerdict &verdict, Family family, const Endpoint &local, bool reuseAddr,
                     bool reusePort)
{
    Explanation &e = verdict.explanation;
    const QString subject = local.text(family) + optionsText(reuseAddr, reusePort);
    auto snapshot = PortSnapshot::take(local.port);
    if (!snapshot) {
        e.summary = subject + QStringLiteral(": the kernel accepts the bind");
        e.note =
            QStringLiteral("the sockets could not be listed: %1").arg(snapshot.error().message);
        return;
    }
    for (const OwnedSocket &holder : snapshot->holders(family, local))
        e.culprits << describeCulprit(holder);
    if (local.port == 0 || e.culprits.isEmpty()) {
        e.summary = subject + (local.port == 0 ? QStringLiteral(": the kernel picks a free port")
                                               : QStringLiteral(": no socket holds it"));
        return;
    }
    QStringList shared;
    for (const Culprit &culprit : std::as_const(e.culprits).mid(0, 2))
        shared << culprit.description + QStringLiteral("; ") + culprit.whenItEnds;
    e.summary = subject + QStringLiteral(": shared with ") + shared.join(QStringLiteral(", and "));
    if (e.culprits.size() > 2)
        e.summary += QStringLiteral(", and %1 more sockets").arg(e.culprits.size() - 2);
    if (reuseAddr && onlyConnections(e.culprits)) {
        const bool without = probeBind(family, local, false, reusePort) == 0;
        e.note = without ? QStringLiteral("it passes even without SO_REUSEADDR")
                         : QStringLiteral("it passes because this socket and the old ones set "
                                          "SO_REUSEADDR; without it the bind fails until they end");
    } else if (reusePort) {
        e.note =
            QStringLiteral("every socket on the port set SO_REUSEPORT under the same user: the "
                           "kernel balances new connections between the listeners");
    }
}

} // namespace

BindVerdict checkBind(Family family, const Endpoint &local, bool reuseAddr, bool reusePort)
{
    BindVerdict verdict;
    const int error = probeBind(family, local, reuseAddr, reusePort);
    if (error != 0) {
        FailureContext context;
        context.operation = FailureContext::Operation::Bind;
        context.family = family;
        context.local = local;
        context.reuseAddr = reuseAddr;
        context.reusePort = reusePort;
        verdict.explanation = explainFailure(error, context);
        describeRefusal(verdict, family, local, reuseAddr, reusePort);
        return verdict;
    }
    verdict.canBind = true;
    describeSharing(verdict, family, local, reuseAddr, reusePort);
    return verdict;
}

} // namespace sockscope
