// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/remoteaccess.h"

#include <QCoreApplication>

namespace sockscope {

QString agentAccess(const AgentHello &hello)
{
    if (!hello.root)
        return QCoreApplication::translate("RemoteAccess",
                                           "server: privilege not reported (an older agent)");
    return *hello.root
               ? QCoreApplication::translate("RemoteAccess", "server: root, every owner visible")
               : QCoreApplication::translate("RemoteAccess",
                                             "server: unprivileged: other users' sockets show "
                                             "owner 'unknown' (log in as root to see them)");
}

QString ssFallbackAccess()
{
    return QCoreApplication::translate("RemoteAccess",
                                       "ss fallback: no trace, no history between polls");
}

QString connectingAccess()
{
    return QCoreApplication::translate("RemoteAccess", "server: connecting");
}

QString remoteLabOffText(const QString &host)
{
    return QStringLiteral("the lab is off on %1: it opens sockets and processes there only when "
                          "the window asks for it (sockscope --ssh %1 --remote-lab, or lab --ssh)")
        .arg(host);
}

QString remoteLabNeedsSockscopeText(const QString &host)
{
    return QStringLiteral("%1 has no sockscope: its lab needs one there (run again with "
                          "--install-agent where this sockscope is an AppImage)")
        .arg(host);
}

} // namespace sockscope
