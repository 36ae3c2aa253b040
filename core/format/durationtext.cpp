// SPDX-License-Identifier: GPL-3.0-or-later
#include "format/durationtext.h"

#include <algorithm>
#include <charconv>

namespace sockscope {

namespace {
// Appends decimal digits; `width` pads with zeros ("03").
char *put(char *p, std::int64_t value, int width = 0)
{
    char digits[24];
    char *end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    for (auto n = end - digits; n < width; ++n)
        *p++ = '0';
    return std::copy(digits, end, p);
}

char *put(char *p, const char *text)
{
    while (*text)
        *p++ = *text++;
    return p;
}

// Whole seconds of a minute or more: "1 min 03 s", "2 h 05 min".
char *putLong(char *p, std::int64_t seconds)
{
    if (seconds < 3600)
        return put(put(put(put(p, seconds / 60), " min "), seconds % 60, 2), " s");
    return put(put(put(put(p, seconds / 3600), " h "), (seconds / 60) % 60, 2), " min");
}

char *putDuration(char *p, std::int64_t ms)
{
    ms = std::max<std::int64_t>(ms, 0);
    if (ms < 1000)
        return put(put(p, ms), " ms");
    if (ms < 60000)
        return put(put(put(put(p, ms / 1000), "."), (ms % 1000) / 100), " s");
    return putLong(p, ms / 1000);
}

char *putTimer(char *p, const SocketRecord &socket, std::int64_t remainingMs)
{
    if (socket.timer == TimerKind::Off)
        return p;
    p = putDuration(put(put(p, timerDisplayCName(socket.timer, socket.state)), " "), remainingMs);
    if (socket.retrans > 0)
        p = put(put(p, "/"), socket.retrans);
    return p;
}

// Texts here are at most a few dozen ASCII characters.
template <typename Writer> QString text(Writer write)
{
    char buffer[kTimerTextMax];
    return QString::fromLatin1(buffer, static_cast<qsizetype>(write(buffer) - buffer));
}
} // namespace

QString durationText(std::int64_t ms)
{
    return text([ms](char *p) { return putDuration(p, ms); });
}

QString countdownText(std::int64_t remainingMs)
{
    if (remainingMs <= 0)
        return QStringLiteral("now");
    const std::int64_t seconds = (remainingMs + 999) / 1000;
    return text([seconds](char *p) {
        return seconds < 60 ? put(put(p, seconds), " s") : putLong(p, seconds);
    });
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
    return text([&socket, remainingMs](char *p) { return putTimer(p, socket, remainingMs); });
}

std::size_t writeTimerText(char *out, const SocketRecord &socket)
{
    return static_cast<std::size_t>(putTimer(out, socket, socket.expiresMs) - out);
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
