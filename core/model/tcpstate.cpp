// SPDX-License-Identifier: GPL-3.0-or-later
#include "model/tcpstate.h"

#include "model/socketrecord.h"

#include <array>

namespace sockscope {

namespace {
constexpr std::array<const char *, kTcpStateCount> kStateNames = {
    "UNKNOWN",   "ESTABLISHED", "SYN_SENT",   "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
    "TIME_WAIT", "CLOSE",       "CLOSE_WAIT", "LAST_ACK", "LISTEN",    "CLOSING",
};
} // namespace

const char *tcpStateCName(TcpState state)
{
    const auto index = static_cast<std::size_t>(state);
    return index < kStateNames.size() ? kStateNames[index] : "UNKNOWN";
}

QString tcpStateName(TcpState state)
{
    return QString::fromLatin1(tcpStateCName(state));
}

QString tcpStateDisplayName(TcpState state)
{
    return state == TcpState::Close ? QStringLiteral("CLOSED") : tcpStateName(state);
}

bool isBoundInactive(const SocketRecord &socket)
{
    return socket.state == TcpState::Close && socket.local.port != 0 && socket.remote.port == 0;
}

QString socketStateDisplayName(const SocketRecord &socket)
{
    return isBoundInactive(socket) ? QStringLiteral("BOUND") : tcpStateDisplayName(socket.state);
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

const char *timerKindCName(TimerKind kind)
{
    switch (kind) {
    case TimerKind::Off:
        return "off";
    case TimerKind::Retransmit:
        return "retransmit";
    case TimerKind::Keepalive:
        return "keepalive";
    case TimerKind::TimeWait:
        return "timewait";
    case TimerKind::Probe:
        return "probe";
    }
    return "off";
}

QString timerKindName(TimerKind kind)
{
    return QString::fromLatin1(timerKindCName(kind));
}

const char *timerDisplayCName(TimerKind kind, TcpState state)
{
    return kind == TimerKind::TimeWait && state == TcpState::FinWait2 ? "fin-wait-2"
                                                                      : timerKindCName(kind);
}

} // namespace sockscope
