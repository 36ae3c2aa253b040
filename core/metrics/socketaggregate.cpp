// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/socketaggregate.h"

#include <algorithm>
#include <vector>

namespace sockscope {

namespace {
// The kernel's orphans (tcp_orphan_count): connections their process closed
// that are still finishing, not yet handed to a timewait socket's care.
bool orphaned(const SocketRecord &socket)
{
    switch (socket.state) {
    case TcpState::FinWait1:
    case TcpState::FinWait2:
    case TcpState::LastAck:
    case TcpState::Closing:
        return socket.inode == 0;
    default:
        return false;
    }
}

void addPort(SocketAggregate::Port &into, const SocketAggregate::Port &from)
{
    for (int state = 0; state < kTcpStateCount; ++state)
        into.sockets[state] += from.sockets[state];
    into.listening = into.listening || from.listening;
    into.acceptQueueLength += from.acceptQueueLength;
    into.acceptQueueBacklog += from.acceptQueueBacklog;
    into.oldestCloseWaitSeconds =
        std::max(into.oldestCloseWaitSeconds, from.oldestCloseWaitSeconds);
}

std::int64_t total(const SocketAggregate::Port &port)
{
    std::int64_t sum = 0;
    for (const std::int64_t count : port.sockets)
        sum += count;
    return sum;
}

// Past the cap: the ports that keep their label, listening first, then by
// socket count, then by number (so the choice is stable between scrapes).
std::vector<int> portsToFold(const std::map<int, SocketAggregate::Port> &ports, int maxPorts)
{
    std::vector<int> numbered;
    for (const auto &[port, figures] : ports) {
        if (port != SocketAggregate::kOtherPort)
            numbered.push_back(port);
    }
    if (static_cast<int>(numbered.size()) <= maxPorts)
        return {};
    std::sort(numbered.begin(), numbered.end(), [&ports](int a, int b) {
        const auto &left = ports.at(a);
        const auto &right = ports.at(b);
        if (left.listening != right.listening)
            return left.listening;
        const std::int64_t leftTotal = total(left);
        const std::int64_t rightTotal = total(right);
        return leftTotal != rightTotal ? leftTotal > rightTotal : a < b;
    });
    return {numbered.begin() + std::max(maxPorts, 0), numbered.end()};
}
} // namespace

SocketAggregate aggregateSockets(const QHash<std::uint64_t, ConnectionView> &connections,
                                 int ephemeralPortStart, int maxPorts, std::int64_t nowMs)
{
    SocketAggregate result;
    QHash<std::uint16_t, bool> listening;
    for (const ConnectionView &view : connections) {
        if (view.socket.state == TcpState::Listen)
            listening.insert(view.socket.local.port, true);
    }
    QHash<ConnectionKey, std::int64_t> timeWaitByRemote;
    for (const ConnectionView &view : connections) {
        const SocketRecord &socket = view.socket;
        const std::uint16_t local = socket.local.port;
        const bool named = listening.contains(local) || local < ephemeralPortStart;
        SocketAggregate::Port &port = result.ports[named ? local : SocketAggregate::kOtherPort];
        ++port.sockets[static_cast<int>(socket.state)];
        if (socket.state == TcpState::Listen) {
            port.listening = true;
            port.acceptQueueLength += socket.recvQ;
            port.acceptQueueBacklog += socket.sendQ;
        } else if (socket.state == TcpState::CloseWait) {
            const double age =
                static_cast<double>(std::max<std::int64_t>(nowMs - view.stateSinceMs, 0)) / 1000.0;
            port.oldestCloseWaitSeconds = std::max(port.oldestCloseWaitSeconds, age);
        } else if (socket.state == TcpState::TimeWait) {
            ++result.timeWait;
            const ConnectionKey remote{socket.family, {}, socket.remote};
            result.timeWaitMaxPerRemote =
                std::max(result.timeWaitMaxPerRemote, ++timeWaitByRemote[remote]);
        }
        result.orphaned += orphaned(socket);
    }
    for (const int port : portsToFold(result.ports, maxPorts)) {
        addPort(result.ports[SocketAggregate::kOtherPort], result.ports.at(port));
        result.ports.erase(port);
        result.capped = true;
    }
    return result;
}

} // namespace sockscope
