// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/socketrecord.h"

#include <algorithm>
#include <arpa/inet.h>
#include <QHashFunctions>

namespace sockscope {

QString Endpoint::addressText(Family family) const
{
    char buffer[INET6_ADDRSTRLEN] = {};
    const int af = family == Family::IPv4 ? AF_INET : AF_INET6;
    if (!inet_ntop(af, address.data(), buffer, sizeof buffer))
        return QStringLiteral("?");
    return QString::fromLatin1(buffer);
}

QString Endpoint::text(Family family) const
{
    if (family == Family::IPv6)
        return QStringLiteral("[%1]:%2").arg(addressText(family)).arg(port);
    return QStringLiteral("%1:%2").arg(addressText(family)).arg(port);
}

bool Endpoint::isUnspecified() const
{
    return std::all_of(address.begin(), address.end(), [](std::uint8_t b) { return b == 0; });
}

ConnectionKey connectionKeyOf(const SocketRecord &record)
{
    return ConnectionKey{record.family, record.local, record.remote};
}

std::size_t qHash(const ConnectionKey &key, std::size_t seed) noexcept
{
    QtPrivate::QHashCombine combine;
    seed = combine(seed, static_cast<int>(key.family));
    seed = ::qHashBits(key.local.address.data(), key.local.address.size(), seed);
    seed = combine(seed, key.local.port);
    seed = ::qHashBits(key.remote.address.data(), key.remote.address.size(), seed);
    seed = combine(seed, key.remote.port);
    return seed;
}

QString familyName(Family family)
{
    return family == Family::IPv4 ? QStringLiteral("ipv4") : QStringLiteral("ipv6");
}

} // namespace sockscope
