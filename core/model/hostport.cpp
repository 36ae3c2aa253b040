// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/hostport.h"

#include "util/quotedvalue.h"

#include <arpa/inet.h>
#include <cerrno>

namespace sockscope {

Result<HostPort> parseHostPort(const QString &input)
{
    const QString text = input.trimmed();
    const auto invalid = [&text](const QString &why) {
        return Error{EINVAL, QStringLiteral("invalid address %1: %2").arg(quotedValue(text), why)};
    };
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon < 0)
        return invalid(QStringLiteral("expected ADDRESS:PORT, e.g. 127.0.0.1:9000 or [::1]:9000"));
    QString host = text.left(colon);
    const QString portText = text.mid(colon + 1);
    bool ok = false;
    const uint port = portText.toUInt(&ok);
    if (!ok || port > 65535)
        return invalid(
            QStringLiteral("port %1 is not a number from 0 to 65535").arg(quotedValue(portText)));

    HostPort result;
    result.endpoint.port = static_cast<std::uint16_t>(port);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']'))) {
        host = host.mid(1, host.size() - 2);
        result.family = Family::IPv6;
    } else if (host.contains(QLatin1Char(':'))) {
        return invalid(QStringLiteral("write IPv6 addresses in brackets, e.g. [::1]:9000"));
    }
    if (host.isEmpty() || host == QLatin1String("*"))
        host = result.family == Family::IPv6 ? QStringLiteral("::") : QStringLiteral("0.0.0.0");
    if (host == QLatin1String("localhost"))
        host = result.family == Family::IPv6 ? QStringLiteral("::1") : QStringLiteral("127.0.0.1");
    const QByteArray bytes = host.toLatin1();
    const int af = result.family == Family::IPv6 ? AF_INET6 : AF_INET;
    if (inet_pton(af, bytes.constData(), result.endpoint.address.data()) != 1) {
        return invalid(
            result.family == Family::IPv6
                ? QStringLiteral("%1 is not a numeric IPv6 address").arg(quotedValue(host))
                : QStringLiteral("%1 is not a numeric IPv4 address").arg(quotedValue(host)));
    }
    return result;
}

} // namespace sockscope
