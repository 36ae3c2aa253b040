// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/tcpstate.h"

#include <array>

namespace sockscope {

namespace {
constexpr std::array<const char *, kTcpStateCount> kStateNames = {
    "UNKNOWN",   "ESTABLISHED", "SYN_SENT",   "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
    "TIME_WAIT", "CLOSE",       "CLOSE_WAIT", "LAST_ACK", "LISTEN",    "CLOSING",
};
} // namespace

QString tcpStateName(TcpState state)
{
    const auto index = static_cast<std::size_t>(state);
    return QString::fromLatin1(index < kStateNames.size() ? kStateNames[index] : "UNKNOWN");
}

std::optional<TcpState> tcpStateFromName(const QString &name)
{
    const QString wanted = name.trimmed().toUpper().replace(QLatin1Char('-'), QLatin1Char('_'));
    for (std::size_t i = 1; i < kStateNames.size(); ++i) {
        if (wanted == QLatin1String(kStateNames[i]))
            return static_cast<TcpState>(i);
    }
    return std::nullopt;
}

TcpState tcpStateFromKernel(std::uint8_t value)
{
    constexpr std::uint8_t kNewSynRecv = 12;
    if (value == kNewSynRecv)
        return TcpState::SynRecv;
    if (value >= 1 && value < kTcpStateCount)
        return static_cast<TcpState>(value);
    return TcpState::Unknown;
}

QString timerKindName(TimerKind kind)
{
    switch (kind) {
    case TimerKind::Off:
        return QStringLiteral("off");
    case TimerKind::Retransmit:
        return QStringLiteral("retransmit");
    case TimerKind::Keepalive:
        return QStringLiteral("keepalive");
    case TimerKind::TimeWait:
        return QStringLiteral("timewait");
    case TimerKind::Probe:
        return QStringLiteral("probe");
    }
    return QStringLiteral("off");
}

} // namespace sockscope
