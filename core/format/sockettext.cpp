// SPDX-License-Identifier: GPL-3.0-or-later
#include "format/sockettext.h"

#include "format/durationtext.h"
#include "format/ownertext.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace sockscope {

namespace {
// State, Recv-Q, Send-Q, Local, Peer, Timer: room for IPv4 endpoints and
// most timers ("keepalive 7.0 s/2").
constexpr int kWidths[] = {11, 6, 6, 21, 21, 16};

void appendCell(QByteArray &out, const char *text, std::size_t length, int column)
{
    const auto padding = static_cast<qsizetype>(kWidths[column]) - static_cast<qsizetype>(length);
    const bool rightAligned = column == 1 || column == 2;
    if (rightAligned && padding > 0)
        out.append(padding, ' ');
    out.append(text, static_cast<qsizetype>(length));
    if (!rightAligned && padding > 0)
        out.append(padding, ' ');
    out.append("  ", 2);
}

void appendCell(QByteArray &out, const char *text, int column)
{
    appendCell(out, text, std::strlen(text), column);
}

void appendNumberCell(QByteArray &out, std::uint32_t value, int column)
{
    char digits[16];
    const char *end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    appendCell(out, digits, static_cast<std::size_t>(end - digits), column);
}

void endLine(QByteArray &out)
{
    while (out.endsWith(' '))
        out.chop(1);
    out.append('\n');
}
} // namespace

void appendSocketTableHeader(QByteArray &out, bool withOwner)
{
    int column = 0;
    for (const char *title :
         {"State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port", "Timer"})
        appendCell(out, title, column++);
    if (withOwner)
        out.append("Owner");
    endLine(out);
}

void appendSocketRow(QByteArray &out, const SocketRecord &socket, const OwnerLookup *owner)
{
    char text[std::max(Endpoint::kTextMax, kTimerTextMax)];
    appendCell(out, tcpStateCName(socket.state), 0);
    appendNumberCell(out, socket.recvQ, 1);
    appendNumberCell(out, socket.sendQ, 2);
    appendCell(out, text, socket.local.writeText(socket.family, text), 3);
    appendCell(out, text, socket.remote.writeText(socket.family, text), 4);
    appendCell(out, text, writeTimerText(text, socket), 5);
    if (owner)
        out.append(ownerText(*owner).toUtf8());
    endLine(out);
}

QStringList socketTable(const std::vector<OwnedSocket> &sockets)
{
    QByteArray text;
    appendSocketTableHeader(text, true);
    for (const OwnedSocket &entry : sockets)
        appendSocketRow(text, entry.socket, &entry.owner);
    text.chop(1);
    return QString::fromUtf8(text).split(QLatin1Char('\n'));
}

QString eventLine(const SocketEvent &event, std::int64_t originMs)
{
    const SocketRecord &s = event.connection.socket;
    QString what;
    switch (event.kind) {
    case EventKind::Appeared:
        what = QStringLiteral("appeared %1").arg(tcpStateName(event.to));
        break;
    case EventKind::StateChanged:
        what =
            QStringLiteral("state %1 -> %2").arg(tcpStateName(event.from), tcpStateName(event.to));
        break;
    case EventKind::Gone:
        what = QStringLiteral("gone (was %1)").arg(tcpStateName(event.from));
        break;
    case EventKind::ResetSent:
        what = QStringLiteral("reset sent in %1").arg(tcpStateName(event.from));
        break;
    case EventKind::ResetReceived:
        what = QStringLiteral("reset received in %1").arg(tcpStateName(event.from));
        break;
    }
    QString line = QStringLiteral("%1  %2  %3 -> %4  %5")
                       .arg(offsetText(event.timeMs - originMs).rightJustified(10),
                            what.leftJustified(34), s.local.text(s.family), s.remote.text(s.family),
                            ownerText(event.connection.owner));
    // Who acted, where that is not already the owner shown.
    if (event.pid > 0 && (event.connection.owner.owners.isEmpty() ||
                          event.connection.owner.owners.first().pid != event.pid))
        line += QStringLiteral("  by pid %1 %2").arg(event.pid).arg(event.command);
    if (event.source == EventSource::Destroy)
        line += QStringLiteral("  [seen by destroy notice]");
    return line;
}

} // namespace sockscope
