// SPDX-License-Identifier: GPL-3.0-or-later
#include "format/durationtext.h"

#include <algorithm>

namespace sockscope {

namespace {
// Whole seconds of a minute or more: "1 min 03 s", "2 h 05 min".
QString longText(std::int64_t seconds)
{
    if (seconds < 3600)
        return QStringLiteral("%1 min %2 s")
            .arg(seconds / 60)
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min")
        .arg(seconds / 3600)
        .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

QString durationText(std::int64_t ms)
{
    ms = std::max<std::int64_t>(ms, 0);
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 60000)
        return QStringLiteral("%1.%2 s").arg(ms / 1000).arg((ms % 1000) / 100);
    return longText(ms / 1000);
}

QString countdownText(std::int64_t remainingMs)
{
    if (remainingMs <= 0)
        return QStringLiteral("now");
    const std::int64_t seconds = (remainingMs + 999) / 1000;
    return seconds < 60 ? QStringLiteral("%1 s").arg(seconds) : longText(seconds);
}

QString countdownPhrase(std::int64_t remainingMs)
{
    return remainingMs <= 0 ? countdownText(remainingMs)
                            : QStringLiteral("in ") + countdownText(remainingMs);
}

QString timerText(const SocketRecord &socket)
{
    return timerText(socket, static_cast<std::int64_t>(socket.expiresMs));
}

QString timerText(const SocketRecord &socket, std::int64_t remainingMs)
{
    if (socket.timer == TimerKind::Off)
        return QString();
    QString text = timerKindName(socket.timer) + QLatin1Char(' ') + durationText(remainingMs);
    if (socket.retrans > 0)
        text += QStringLiteral("/%1").arg(socket.retrans);
    return text;
}

QString offsetText(std::int64_t ms)
{
    return QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', 3);
}

QString offsetTextNs(std::int64_t ns)
{
    // Whole microseconds in integers: a double would round 12.3456785 s either way.
    const std::int64_t us = (ns < 0 ? -ns : ns) / 1000;
    return QStringLiteral("%1%2.%3 s")
        .arg(ns < 0 && us > 0 ? QStringLiteral("-") : QString())
        .arg(us / 1000000)
        .arg(us % 1000000, 6, 10, QLatin1Char('0'));
}

} // namespace sockscope
