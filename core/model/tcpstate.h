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

// Kernel names as `ss`/netstat print them with underscores: "FIN_WAIT2". They
// stay the names of JSON, `dump`, `watch` and `--state`, where scripts compare
// them with ss's.
QString tcpStateName(TcpState state);
// The same name as a static C string, for writers that avoid QString (dump).
const char *tcpStateCName(TcpState state);
// Accepts the kernel names, case-insensitively, with '-' or '_'. nullopt for anything else.
std::optional<TcpState> tcpStateFromName(const QString &name);
// Kernel value (0..12) to TcpState; 12 (NEW_SYN_RECV) maps to SynRecv, others to Unknown.
TcpState tcpStateFromKernel(std::uint8_t value);

struct SocketRecord;

// What the window and the explanations call a state: the kernel's name, but
// "CLOSED" for CLOSE, as in RFC 9293 and the state diagram.
QString tcpStateDisplayName(TcpState state);
// Bound, neither listening nor connected (bind() alone): the kernel reports
// CLOSE with no peer, ss 6.8+ says BOUND-INACTIVE. Such a socket still holds
// its port against other binds.
bool isBoundInactive(const SocketRecord &socket);
// The display name of one socket: "BOUND" when bound-inactive, otherwise
// tcpStateDisplayName(). A closed connection keeps its peer, so it stays CLOSED.
QString socketStateDisplayName(const SocketRecord &socket);

enum class TimerKind : std::uint8_t
{
    Off,
    Retransmit,
    Keepalive,
    TimeWait,
    Probe
};
// The kernel's names: "off", "retransmit", "keepalive", "timewait", "probe" (JSON).
QString timerKindName(TimerKind kind);
const char *timerKindCName(TimerKind kind);
// The timer as a learner knows it: the kernel runs FIN_WAIT2's timeout
// (tcp_fin_timeout) on its timewait timer, but it is not TIME_WAIT's, so a
// FIN_WAIT2 socket's is "fin-wait-2"; otherwise timerKindCName().
const char *timerDisplayCName(TimerKind kind, TcpState state);

} // namespace sockscope
