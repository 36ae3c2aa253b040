// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <QString>

namespace sockscope {

// Values are the kernel's (include/net/tcp_states.h), so a dumped idiag_state
// converts directly. NEW_SYN_RECV request sockets are reported as SynRecv.
enum class TcpState : std::uint8_t
{
    Unknown = 0,
    Established = 1,
    SynSent = 2,
    SynRecv = 3,
    FinWait1 = 4,
    FinWait2 = 5,
    TimeWait = 6,
    Close = 7,
    CloseWait = 8,
    LastAck = 9,
    Listen = 10,
    Closing = 11,
};
inline constexpr int kTcpStateCount = 12;

// Kernel names as `ss`/netstat print them with underscores: "FIN_WAIT2".
QString tcpStateName(TcpState state);
// The same name as a static C string, for writers that avoid QString (dump).
const char *tcpStateCName(TcpState state);
// Accepts the kernel names, case-insensitively, with '-' or '_'. nullopt for anything else.
std::optional<TcpState> tcpStateFromName(const QString &name);
// Kernel value (0..12) to TcpState; 12 (NEW_SYN_RECV) maps to SynRecv, others to Unknown.
TcpState tcpStateFromKernel(std::uint8_t value);

enum class TimerKind : std::uint8_t
{
    Off,
    Retransmit,
    Keepalive,
    TimeWait,
    Probe
};
// "off", "retransmit", "keepalive", "timewait", "probe"
QString timerKindName(TimerKind kind);
const char *timerKindCName(TimerKind kind);

} // namespace sockscope
