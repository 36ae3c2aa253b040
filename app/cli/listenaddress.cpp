// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/listenaddress.h"

#include "cli/commandline.h"
#include "util/quotedvalue.h"

#include <cerrno>
#include <QRegularExpression>

namespace sockscope::cli {

QString ListenAddress::text() const
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(address.toString())
                             : address.toString();
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

Result<ListenAddress> parseListenAddress(const QString &text)
{
    const auto invalid = [&text] {
        return Error{EINVAL, QStringLiteral("invalid --listen %1: expected ADDRESS:PORT with a "
                                            "numeric address, e.g. 127.0.0.1:10150 or "
                                            "[::1]:10150")
                                 .arg(quotedValue(text))};
    };
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return invalid();
    QString host = text.left(colon);
    const bool bracketed = host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']'));
    if (bracketed)
        host = host.mid(1, host.size() - 2);
    // IPv6 needs its brackets to tell the port apart; IPv4 its four numbers
    // (QHostAddress would also take "127.1").
    static const QRegularExpression dotted(QStringLiteral("^\\d{1,3}(\\.\\d{1,3}){3}$"));
    ListenAddress result;
    if (!result.address.setAddress(host) ||
        (bracketed ? result.address.protocol() != QAbstractSocket::IPv6Protocol
                   : !dotted.match(host).hasMatch()))
        return invalid();
    const auto port = parsePort(text.mid(colon + 1));
    if (!port)
        return Error{
            EINVAL,
            QStringLiteral("invalid --listen %1: %2").arg(quotedValue(text), port.error().message)};
    result.port = *port;
    return result;
}

} // namespace sockscope::cli
