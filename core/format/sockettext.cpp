// SPDX-License-Identifier: GPL-3.0-or-later
#include "format/sockettext.h"

#include "format/durationtext.h"
#include "format/ownertext.h"

#include <algorithm>
#include <array>

namespace sockscope {

QStringList socketTable(const std::vector<OwnedSocket> &sockets)
{
    const QStringList header = {QStringLiteral("State"),
                                QStringLiteral("Recv-Q"),
                                QStringLiteral("Send-Q"),
                                QStringLiteral("Local Address:Port"),
                                QStringLiteral("Peer Address:Port"),
                                QStringLiteral("Timer"),
                                QStringLiteral("Owner")};
    std::vector<QStringList> rows;
    rows.reserve(sockets.size() + 1);
    rows.push_back(header);
    for (const OwnedSocket &entry : sockets) {
        const SocketRecord &s = entry.socket;
        rows.push_back({tcpStateName(s.state), QString::number(s.recvQ), QString::number(s.sendQ),
                        s.local.text(s.family), s.remote.text(s.family), timerText(s),
                        ownerText(entry.owner)});
    }
    std::array<qsizetype, 7> widths{};
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size() - 1; ++i)
            widths[i] = std::max(widths[i], row[i].size());
    }
    QStringList lines;
    lines.reserve(static_cast<qsizetype>(rows.size()));
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i) {
            const bool numeric = i == 1 || i == 2;
            const bool last = i == row.size() - 1;
            line += last ? row[i]
                         : (numeric ? row[i].rightJustified(widths[i])
                                    : row[i].leftJustified(widths[i]));
            if (!last)
                line += QLatin1String("  ");
        }
        lines << line;
    }
    return lines;
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
