// SPDX-License-Identifier: GPL-3.0-or-later
#include "console/kernelcommands.h"

#include "explain/bindchecker.h"
#include "explain/explainer.h"
#include "explain/portsnapshot.h"
#include "explain/systemlimits.h"
#include "format/sockettext.h"
#include "netlink/diagclient.h"
#include "owners/owneddump.h"
#include "util/monotonic.h"

#include <algorithm>
#include <cerrno>
#include <QEventLoop>
#include <QMap>
#include <QTimer>
#include <tuple>

namespace sockscope {

namespace {

constexpr int kPollIntervalMs = 20;

QString statesSeen(const std::vector<SocketRecord> &sockets)
{
    if (sockets.empty())
        return QStringLiteral("no socket on the port");
    QMap<QString, int> counts;
    for (const SocketRecord &socket : sockets)
        ++counts[tcpStateName(socket.state)];
    QStringList parts;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        parts << (it.value() == 1 ? it.key()
                                  : QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
    return parts.join(QStringLiteral(", "));
}

} // namespace

void runEventLoopFor(int milliseconds)
{
    if (milliseconds <= 0) {
        QEventLoop().processEvents(QEventLoop::AllEvents);
        return;
    }
    QEventLoop loop;
    QTimer::singleShot(milliseconds, &loop, &QEventLoop::quit);
    loop.exec();
}

Result<std::vector<OwnedSocket>> dumpWithOwners(std::uint16_t port)
{
    DumpFilter filter;
    if (port != 0)
        filter.port = port;
    auto sockets = dumpOwnedSockets(filter);
    if (sockets)
        sortForReading(*sockets);
    return sockets;
}

ConsoleAnswer showSockets(std::optional<std::uint16_t> port)
{
    auto sockets = dumpWithOwners(port.value_or(0));
    if (!sockets)
        return ConsoleAnswer::failure(sockets.error());
    ConsoleAnswer answer =
        ConsoleAnswer::success(QStringLiteral("%1 %2")
                                   .arg(sockets->size())
                                   .arg(sockets->size() == 1 ? "socket" : "sockets"));
    answer.details = socketTable(*sockets);
    return answer;
}

ConsoleAnswer waitForState(TcpState state, std::uint16_t port, int timeoutMs, bool negate)
{
    auto client = DiagClient::open();
    if (!client)
        return ConsoleAnswer::failure(client.error());
    DumpFilter filter;
    filter.port = port;
    const std::int64_t start = monotonicMs();
    const QString name = tcpStateName(state);
    for (;;) {
        auto dump = (*client)->dump(filter);
        if (!dump)
            return ConsoleAnswer::failure(dump.error());
        const auto match = std::find_if(dump->begin(), dump->end(), [state](const SocketRecord &s) {
            return s.state == state;
        });
        const std::int64_t elapsed = monotonicMs() - start;
        if (!negate && match != dump->end()) {
            return ConsoleAnswer::success(
                QStringLiteral("%1 %2 → %3 after %4 ms")
                    .arg(name, match->local.text(match->family), match->remote.text(match->family))
                    .arg(elapsed));
        }
        if (negate && match == dump->end()) {
            return ConsoleAnswer::success(
                QStringLiteral("no %1 on port %2 after %3 ms").arg(name).arg(port).arg(elapsed));
        }
        if (elapsed >= timeoutMs) {
            const QString what =
                negate ? QStringLiteral("port %1 still has a %2 socket after %3 ms")
                       : QStringLiteral("no socket on port %1 reached %2 within %3 ms");
            return ConsoleAnswer::failure(
                Error{ETIMEDOUT, what.arg(port).arg(name).arg(timeoutMs) +
                                     QStringLiteral(" (now: %1)").arg(statesSeen(*dump))});
        }
        runEventLoopFor(
            static_cast<int>(std::min<std::int64_t>(kPollIntervalMs, timeoutMs - elapsed)));
    }
}

ConsoleAnswer checkAddress(const HostPort &address, bool reuseAddr, bool reusePort)
{
    const BindVerdict verdict = checkBind(address.family, address.endpoint, reuseAddr, reusePort);
    if (!verdict.canBind)
        return ConsoleAnswer::failure(verdict.explanation);
    ConsoleAnswer answer =
        ConsoleAnswer::success(QStringLiteral("can bind ") + verdict.explanation.text());
    answer.explanation = verdict.explanation;
    return answer;
}

ConsoleAnswer sleepFor(int milliseconds)
{
    runEventLoopFor(milliseconds);
    return ConsoleAnswer::success(QStringLiteral("slept %1 ms").arg(milliseconds));
}

ConsoleAnswer countDescriptors()
{
    return ConsoleAnswer::success(QStringLiteral("fds=%1").arg(openDescriptorCount()));
}

} // namespace sockscope
