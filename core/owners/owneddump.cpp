// SPDX-License-Identifier: GPL-3.0-or-later
#include "owners/owneddump.h"

#include "netlink/diagclient.h"
#include "owners/ownerresolver.h"

#include <algorithm>
#include <tuple>

namespace sockscope {

Result<std::vector<OwnedSocket>> dumpOwnedSockets(const DumpFilter &filter, bool *ownersComplete)
{
    auto client = DiagClient::open();
    if (!client)
        return client.error();
    auto dump = (*client)->dump(filter);
    if (!dump)
        return dump.error();
    OwnerResolver owners;
    owners.followCallingThread();
    owners.refresh(*dump);
    std::vector<OwnedSocket> sockets;
    sockets.reserve(dump->size());
    for (const SocketRecord &record : *dump)
        sockets.push_back({record, owners.lookup(record)});
    if (ownersComplete)
        *ownersComplete = owners.sawEverything();
    return sockets;
}

namespace {
bool readsBefore(const SocketRecord &x, const SocketRecord &y)
{
    return std::tuple(x.state != TcpState::Listen, x.local.port, x.state, x.remote.port, x.cookie) <
           std::tuple(y.state != TcpState::Listen, y.local.port, y.state, y.remote.port, y.cookie);
}
} // namespace

void sortForReading(std::vector<OwnedSocket> &sockets)
{
    std::sort(sockets.begin(), sockets.end(), [](const OwnedSocket &a, const OwnedSocket &b) {
        return readsBefore(a.socket, b.socket);
    });
}

void sortForReading(std::vector<SocketRecord> &sockets)
{
    std::sort(sockets.begin(), sockets.end(), readsBefore);
}

} // namespace sockscope
