// SPDX-License-Identifier: GPL-3.0-or-later
#include "explain/portsnapshot.h"

#include "format/durationtext.h"
#include "format/ownertext.h"
#include "netlink/diagclient.h"
#include "owners/owneddump.h"
#include "owners/ownerresolver.h"

#include <algorithm>
#include <tuple>

namespace sockscope {

namespace {

// An address reduced to what bind() compares: IPv4 (also IPv4-mapped IPv6) or
// plain IPv6, and whether it is a wildcard.
struct BindAddress
{
    bool ipv4 = true;
    bool wildcard = false;
    std::array<std::uint8_t, 16> bytes{};
};

BindAddress bindAddressOf(Family family, const Endpoint &endpoint)
{
    BindAddress result;
    result.bytes = endpoint.address;
    if (family == Family::IPv4) {
        result.wildcard = endpoint.isUnspecified();
        std::fill(result.bytes.begin() + 4, result.bytes.end(), 0);
        return result;
    }
    const auto &a = endpoint.address;
    if (endpoint.isV4Mapped()) {
        std::copy(a.begin() + 12, a.end(), result.bytes.begin());
        std::fill(result.bytes.begin() + 4, result.bytes.end(), 0);
        result.wildcard = std::all_of(a.begin() + 12, a.end(), [](auto b) { return b == 0; });
        return result;
    }
    result.ipv4 = false;
    result.wildcard = endpoint.isUnspecified();
    return result;
}

// Rows in reading order for an explanation: listeners, then live connections
// (a process must act), then TIME_WAIT, soonest to end first.
int severity(TcpState state)
{
    if (state == TcpState::Listen)
        return 0;
    return state == TcpState::TimeWait ? 2 : 1;
}

void sortForExplaining(std::vector<OwnedSocket> &sockets)
{
    std::sort(sockets.begin(), sockets.end(), [](const OwnedSocket &a, const OwnedSocket &b) {
        return std::tuple(severity(a.socket.state), a.socket.expiresMs, a.socket.cookie) <
               std::tuple(severity(b.socket.state), b.socket.expiresMs, b.socket.cookie);
    });
}

// Time since the connection last carried data either way, from tcp_info.
std::optional<std::int64_t> idleMs(const SocketRecord &socket)
{
    if (!socket.info || socket.state == TcpState::Listen || socket.state == TcpState::TimeWait)
        return std::nullopt;
    return std::min(socket.info->lastDataSentMs, socket.info->lastDataRecvMs);
}

QString connectionWhenItEnds(const SocketRecord &s, Ownership ownership, Culprit &culprit)
{
    if (ownership == Ownership::Unknown)
        return QStringLiteral("it goes away when its owner closes it (that process's descriptors "
                              "are not readable here)");
    if (ownership == Ownership::Owned) {
        switch (s.state) {
        case TcpState::CloseWait:
            return QStringLiteral("it goes away when that process closes it");
        case TcpState::FinWait1:
        case TcpState::FinWait2:
        case TcpState::Closing:
            return QStringLiteral("that process shut down its side; it goes away when the peer "
                                  "closes too and that process closes it");
        default:
            return QStringLiteral("it goes away when that process closes it and the close "
                                  "completes");
        }
    }
    // Orphaned: no descriptor any more, the kernel finishes the close on its own.
    if (s.timer != TimerKind::Off && (s.state == TcpState::FinWait2)) {
        culprit.endsInMs = s.expiresMs;
        return QStringLiteral("no process holds it any more; the kernel drops it %1 "
                              "(net.ipv4.tcp_fin_timeout) unless the peer closes first")
            .arg(countdownPhrase(s.expiresMs));
    }
    switch (s.state) {
    case TcpState::Established:
    case TcpState::CloseWait:
        return QStringLiteral("it waits in a listener's accept queue; it goes away when that "
                              "listener accepts and closes it, or closes");
    default:
        return QStringLiteral("no process holds it any more; it ends when the peer acknowledges "
                              "the close or the kernel gives up retransmitting");
    }
}

} // namespace

bool bindAddressesOverlap(Family a, const Endpoint &x, Family b, const Endpoint &y)
{
    const BindAddress first = bindAddressOf(a, x);
    const BindAddress second = bindAddressOf(b, y);
    if (first.ipv4 == second.ipv4)
        return first.wildcard || second.wildcard || first.bytes == second.bytes;
    // IPv4 against plain IPv6: only the IPv6 wildcard (dual stack) covers IPv4.
    return first.ipv4 ? second.wildcard : first.wildcard;
}

Result<PortSnapshot> PortSnapshot::take(std::uint16_t port)
{
    DumpFilter filter;
    filter.port = port;
    filter.withTcpInfo = true;
    auto sockets = dumpOwnedSockets(filter);
    if (!sockets)
        return sockets.error();
    PortSnapshot snapshot;
    snapshot.m_port = port;
    snapshot.m_sockets = std::move(*sockets);
    sortForExplaining(snapshot.m_sockets);
    return snapshot;
}

std::vector<OwnedSocket> PortSnapshot::holders(Family family, const Endpoint &local) const
{
    std::vector<OwnedSocket> result;
    for (const OwnedSocket &entry : m_sockets) {
        const SocketRecord &s = entry.socket;
        if (s.local.port != local.port || s.state == TcpState::SynRecv)
            continue;
        if (bindAddressesOverlap(family, local, s.family, s.local))
            result.push_back(entry);
    }
    return result;
}

std::vector<OwnedSocket> PortSnapshot::listeners() const
{
    std::vector<OwnedSocket> result;
    for (const OwnedSocket &entry : m_sockets) {
        if (entry.socket.state == TcpState::Listen && entry.socket.local.port == m_port)
            result.push_back(entry);
    }
    return result;
}

std::vector<OwnedSocket> PortSnapshot::connections(Family family, const Endpoint &local,
                                                   const Endpoint &remote) const
{
    std::vector<OwnedSocket> result;
    for (const OwnedSocket &entry : m_sockets) {
        const SocketRecord &s = entry.socket;
        if (s.state == TcpState::Listen || s.local.port != local.port ||
            s.remote.port != remote.port)
            continue;
        if (bindAddressesOverlap(family, local, s.family, s.local) &&
            bindAddressesOverlap(family, remote, s.family, s.remote))
            result.push_back(entry);
    }
    return result;
}

Culprit describeCulprit(const OwnedSocket &entry)
{
    const SocketRecord &s = entry.socket;
    Culprit culprit;
    culprit.socket = s;
    culprit.owner = entry.owner;
    QStringList details;
    if (const QString who = ownerPhrase(entry.owner); !who.isEmpty())
        details << who;
    if (const auto idle = idleMs(s))
        details << QStringLiteral("idle %1").arg(durationText(*idle));
    const QString detailText =
        details.isEmpty() ? QString()
                          : QStringLiteral(" (%1)").arg(details.join(QStringLiteral(", ")));

    if (s.state == TcpState::Listen) {
        if (entry.owner.ownership == Ownership::Orphaned) {
            culprit.description = QStringLiteral("a LISTEN socket no process owns");
            culprit.whenItEnds =
                QStringLiteral("its descriptor was closed while accept() was still "
                               "running on it; it goes away when that accept() "
                               "returns");
        } else if (entry.owner.ownership == Ownership::Unknown && entry.owner.owners.isEmpty()) {
            // Some process's descriptors were unreadable, so an orphan cannot be proven.
            culprit.description = QStringLiteral("a LISTEN socket no readable process owns");
            culprit.whenItEnds =
                QStringLiteral("if its descriptor was closed while accept() was "
                               "still running on it, it goes away when that "
                               "accept() returns; otherwise its owner is a process "
                               "whose descriptors are not readable here");
        } else {
            culprit.description =
                QStringLiteral("the LISTEN socket %1%2").arg(s.local.text(s.family), detailText);
            culprit.whenItEnds = entry.owner.ownership == Ownership::Owned
                                     ? QStringLiteral("it goes away when that process closes it")
                                     : QStringLiteral("it goes away when its owner closes it");
        }
        return culprit;
    }
    if (isBoundInactive(s)) {
        culprit.description =
            QStringLiteral("the bound socket %1%2, which neither listens nor is connected")
                .arg(s.local.text(s.family), detailText);
        culprit.whenItEnds = entry.owner.ownership == Ownership::Owned
                                 ? QStringLiteral("it goes away when that process closes it")
                                 : QStringLiteral("it goes away when its owner closes it");
        return culprit;
    }
    culprit.description = QStringLiteral("the %1 connection %2 → %3%4")
                              .arg(tcpStateDisplayName(s.state), s.local.text(s.family),
                                   s.remote.text(s.family), detailText);
    if (s.state == TcpState::TimeWait) {
        culprit.endsInMs = s.expiresMs;
        culprit.whenItEnds =
            QStringLiteral("the kernel removes it %1").arg(countdownPhrase(s.expiresMs));
        return culprit;
    }
    culprit.whenItEnds = connectionWhenItEnds(s, entry.owner.ownership, culprit);
    return culprit;
}

} // namespace sockscope
