// SPDX-License-Identifier: GPL-3.0-or-later
#include "labtesting.h"

#include "loopback.h"
#include "netlink/diagclient.h"

#include <arpa/inet.h>
#include <cstring>
#include <QDir>
#include <QTest>

namespace sockscope::test {

Endpoint loopbackEndpoint(Family family, std::uint16_t port)
{
    Endpoint endpoint;
    endpoint.port = port;
    if (family == Family::IPv6) {
        endpoint.address[15] = 1;
    } else {
        const in_addr_t address = htonl(INADDR_LOOPBACK);
        std::memcpy(endpoint.address.data(), &address, 4);
    }
    return endpoint;
}

ListenerSpec loopbackListener(Family family, AcceptMode accept, AcceptLoop loop, std::uint16_t port)
{
    ListenerSpec spec;
    spec.family = family;
    spec.local = loopbackEndpoint(family, port);
    spec.accept = accept;
    spec.loop = loop;
    return spec;
}

ClientSpec loopbackClient(Family family, std::uint16_t port, ClosePolicy then, int count)
{
    ClientSpec spec;
    spec.family = family;
    spec.remote = loopbackEndpoint(family, port);
    spec.then = then;
    spec.count = count;
    return spec;
}

std::vector<SocketRecord> dumpPort(std::uint16_t port)
{
    auto client = DiagClient::open();
    if (!client.ok())
        return {};
    DumpFilter filter;
    filter.port = port;
    auto records = (*client)->dump(filter);
    return records.ok() ? std::move(*records) : std::vector<SocketRecord>{};
}

std::vector<SocketRecord> socketsIn(std::uint16_t port, TcpState state, std::uint16_t localPort,
                                    std::uint16_t remotePort)
{
    std::vector<SocketRecord> matching;
    for (const SocketRecord &record : dumpPort(port)) {
        if (record.state == state && record.local.port == localPort &&
            (remotePort == 0 || record.remote.port == remotePort))
            matching.push_back(record);
    }
    return matching;
}

std::optional<SocketRecord> listenRow(std::uint16_t port)
{
    const auto rows = socketsIn(port, TcpState::Listen, port);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

bool waitUntil(const std::function<bool()> &condition, int timeoutMs)
{
    return QTest::qWaitFor(condition, timeoutMs);
}

bool waitForState(std::uint16_t port, TcpState state, std::uint16_t localPort,
                  std::uint16_t remotePort)
{
    return waitUntil([&] { return !socketsIn(port, state, localPort, remotePort).empty(); });
}

std::uint16_t freePort()
{
    UniqueFd probe = listenOn(false, 0, true);
    return probe.valid() ? localPort(probe.get()) : 0;
}

int threadCount()
{
    return static_cast<int>(QDir(QStringLiteral("/proc/self/task"))
                                .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                                .size());
}

} // namespace sockscope::test
