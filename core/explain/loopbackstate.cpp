// SPDX-License-Identifier: GPL-3.0-or-later
#include "explain/loopbackstate.h"

#include "netns/namespacescope.h"
#include "util/uniquefd.h"

#include <algorithm>
#include <cstring>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace sockscope {

bool loopbackIsDown()
{
    // Any socket of the namespace answers SIOCGIFFLAGS; a datagram one needs
    // no privilege.
    const UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd.valid())
        return false;
    ifreq request{};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    if (::ioctl(fd.get(), SIOCGIFFLAGS, &request) != 0)
        return false;
    return (request.ifr_flags & IFF_UP) == 0;
}

bool servedByLoopback(Family family, const Endpoint &endpoint)
{
    const auto &a = endpoint.address;
    if (endpoint.isUnspecified())
        return true;
    if (family == Family::IPv4)
        return a[0] == 127;
    if (endpoint.isV4Mapped())
        return a[12] == 127;
    return std::all_of(a.begin(), a.begin() + 15, [](auto b) { return b == 0; }) && a[15] == 1;
}

QString loopbackDownText()
{
    // A lab acting in another namespace (NamespaceScope) must name that one:
    // `ip link set lo up` typed in the user's shell would fix the wrong loopback.
    const NetworkNamespace entered = NamespaceScope::entered();
    const QString fix = entered.ipCommand(QStringLiteral("link set lo up"));
    if (!entered.chosen())
        return QStringLiteral("loopback is down in this network namespace: run `%1`").arg(fix);
    return QStringLiteral("loopback is down in network namespace %1: run `%2`")
        .arg(entered.spec(), fix);
}

} // namespace sockscope
