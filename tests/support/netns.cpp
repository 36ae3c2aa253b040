// SPDX-License-Identifier: GPL-3.0-or-later
#include "netns.h"

#include <cerrno>
#include <cstring>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sockscope::test {

namespace {
bool g_inNetns = false;
QString g_reason = QStringLiteral("not attempted");

} // namespace

bool setLoopbackUp(bool up, QString *reason)
{
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *reason = QStringLiteral("socket(): %1").arg(QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    ifreq request{};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    bool ok = ::ioctl(fd, SIOCGIFFLAGS, &request) == 0;
    if (ok) {
        request.ifr_flags = static_cast<short>(up ? request.ifr_flags | IFF_UP | IFF_RUNNING
                                                  : request.ifr_flags & ~(IFF_UP | IFF_RUNNING));
        ok = ::ioctl(fd, SIOCSIFFLAGS, &request) == 0;
    }
    if (!ok)
        *reason = QStringLiteral("setting lo %1: %2")
                      .arg(up ? QStringLiteral("up") : QStringLiteral("down"),
                           QString::fromLocal8Bit(strerror(errno)));
    ::close(fd);
    return ok;
}

bool enterPrivateNetwork(QString *reason, Loopback loopback)
{
    if (qEnvironmentVariableIsSet("SOCKSCOPE_TEST_NO_NETNS")) {
        g_reason = QStringLiteral("SOCKSCOPE_TEST_NO_NETNS is set");
        *reason = g_reason;
        return false;
    }
    if (::unshare(CLONE_NEWNET) != 0) {
        g_reason = QStringLiteral("unshare(CLONE_NEWNET) failed: %1 (run as root, or allow "
                                  "unprivileged user namespaces)")
                       .arg(QString::fromLocal8Bit(strerror(errno)));
        *reason = g_reason;
        return false;
    }
    // A fresh namespace's lo is down already.
    if (loopback == Loopback::Up && !setLoopbackUp(true, &g_reason)) {
        *reason = g_reason;
        return false;
    }
    g_inNetns = true;
    g_reason.clear();
    return true;
}

bool inPrivateNetwork()
{
    return g_inNetns;
}

QString privateNetworkUnavailableReason()
{
    return g_reason;
}

} // namespace sockscope::test
