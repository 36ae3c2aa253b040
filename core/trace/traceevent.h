// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "model/tcpstate.h"
#include "util/result.h"

#include <cstddef>
#include <cstdint>
#include <QString>
#include <span>

namespace sockscope {

enum class TraceKind : std::uint8_t
{
    StateChange,
    SendReset,
    ReceiveReset
};
// "state", "send-reset", "receive-reset"
QString traceKindName(TraceKind kind);

// One transition or reset as the kernel's tracepoint saw it, at the moment it
// happened (unlike a dump, which only sees where a socket is now). What the
// kernel reports (6.18, checked in tst_tracesource):
// - connect(): CLOSE->SYN_SENT before a port is chosen, so local port 0.
// - A listener's request sockets (NEW_SYN_RECV) make no transitions; the
//   accepted socket's first event is LISTEN->SYN_RECV, on its own cookie and
//   with its own addresses, when it is cloned from the listener at the final
//   ACK, then SYN_RECV->ESTABLISHED. The listener itself only shows
//   CLOSE->LISTEN and LISTEN->CLOSE.
// - Entering TIME_WAIT is reported as FIN_WAIT2->CLOSE or CLOSING->CLOSE: the
//   full socket closes and a timewait socket takes over, with the same cookie.
//   Its substate is TIME_WAIT when the peer's FIN had arrived (finReceived on
//   that event: always after CLOSING, and after FIN_WAIT2 when the FIN came
//   while the full socket was still there), else FIN_WAIT2: an orphaned
//   socket (closed, not just shut down) whose FIN was acknowledged first.
//   When the peer's FIN then reaches the timewait socket, a FIN_WAIT2->
//   TIME_WAIT event follows (pid 0, finReceived), from a probe on
//   tcp_timewait_state_process() rather than a tracepoint; without that probe
//   (TraceSource::seesTimewaitFin() false) the change is invisible.
// - A send-reset event fires after the segment left: on loopback the peer's
//   receive-reset is delivered before it.
struct TraceEvent
{
    std::int64_t timeNs = 0; // CLOCK_MONOTONIC
    TraceKind kind = TraceKind::StateChange;
    // For a reset both are the socket's state when the reset went out or came in.
    TcpState from = TcpState::Unknown;
    TcpState to = TcpState::Unknown;
    Family family = Family::IPv4;
    Endpoint local;
    Endpoint remote;
    // sock_diag's idiag_cookie for the same socket; 0 for a reset sent where no
    // socket existed (a segment to a closed port).
    std::uint64_t cookie = 0;
    // The process whose own syscall made the transition; 0 when it ran in
    // softirq or a timer, where the current task is whoever the CPU interrupted.
    int pid = 0;
    QString command;
    // The socket had received the peer's FIN when the event fired (the
    // kernel's SOCK_DONE; not "shut down for reading", which close() sets by
    // itself): on every state change and reset, not only CLOSE.
    // After FIN_WAIT2->CLOSE it tells which substate the timewait socket
    // starts in: TIME_WAIT when set, FIN_WAIT2 when not.
    bool finReceived = false;
};

// Decodes one ring-buffer record (tracerecord.h). Fails with an Error (errnum 0)
// naming the problem when the size is not the record's, or the kind or family
// is not one the program writes; never reads outside `bytes`.
Result<TraceEvent> decodeTraceRecord(std::span<const std::byte> bytes);

} // namespace sockscope
