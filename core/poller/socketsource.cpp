// SPDX-License-Identifier: GPL-3.0-or-later
#include "poller/socketsource.h"

#include <QCoreApplication>
#include <unistd.h>

namespace sockscope {

QString SocketSource::accessSummary() const
{
    return ::geteuid() == 0
               ? QCoreApplication::translate("SocketSource", "root: every owner visible")
               : QCoreApplication::translate("SocketSource",
                                             "unprivileged: other users' sockets show owner "
                                             "'unknown' (run as root to see them)");
}

void SocketSource::disconnectReceivers()
{
    disconnect(this, &SocketSource::batchReady, nullptr, nullptr);
    disconnect(this, &SocketSource::pollFailed, nullptr, nullptr);
    disconnect(this, &SocketSource::pollRecovered, nullptr, nullptr);
    disconnect(this, &SocketSource::accessChanged, nullptr, nullptr);
}

void SocketSource::dispose()
{
    disconnectReceivers();
    stop();
    deleteLater();
}

} // namespace sockscope
