// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenarios/scenarioports.h"

#include "console/kernelcommands.h"
#include "explain/bindchecker.h"
#include "explain/explainer.h"
#include "model/hostport.h"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <QRegularExpression>
#include <sys/socket.h>
#include <unistd.h>

namespace sockscope {

namespace {

constexpr int kAttempts = 50;

Endpoint loopback(std::uint16_t port)
{
    Endpoint endpoint;
    endpoint.address = {127, 0, 0, 1};
    endpoint.port = port;
    return endpoint;
}

Result<bool> unused(std::uint16_t port)
{
    auto sockets = dumpWithOwners(port);
    if (!sockets)
        return sockets.error();
    return sockets->empty() && checkBind(Family::IPv4, loopback(port), false, false).canBind;
}

// A port the kernel considers free right now: bind to port 0 and read it back.
std::uint16_t kernelPickedPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    std::uint16_t port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

} // namespace

Result<QMap<QString, std::uint16_t>> chooseScenarioPorts(const QList<ScenarioPort> &ports)
{
    QMap<QString, std::uint16_t> chosen;
    for (const ScenarioPort &slot : ports) {
        const auto taken = [&chosen](std::uint16_t port) {
            return port == 0 || chosen.values().contains(port);
        };
        std::uint16_t candidate = slot.preferred;
        for (int attempt = 0; attempt <= kAttempts; ++attempt) {
            if (!taken(candidate)) {
                auto free = unused(candidate);
                if (!free)
                    return free.error();
                if (*free)
                    break;
            }
            candidate = attempt < kAttempts ? kernelPickedPort() : 0;
        }
        if (candidate == 0)
            return Error{EADDRINUSE,
                         QStringLiteral("no free port found on 127.0.0.1 for %1").arg(slot.name)};
        chosen.insert(slot.name, candidate);
    }
    return chosen;
}

QString withPortNumbers(const QString &text, const QMap<QString, int> &ports)
{
    static const QRegularExpression word(QStringLiteral("\\b[A-Z][A-Z0-9]*\\b"));
    QString result;
    qsizetype last = 0;
    for (auto it = word.globalMatch(text); it.hasNext();) {
        const auto match = it.next();
        const auto port = ports.constFind(match.captured(0));
        if (port == ports.constEnd())
            continue;
        result += text.mid(last, match.capturedStart() - last) + QString::number(port.value());
        last = match.capturedEnd();
    }
    return result + text.mid(last);
}

} // namespace sockscope
