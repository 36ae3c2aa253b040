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
// happened (unlike a dump, which only sees where a socket is now).
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
};

// Decodes one ring-buffer record (tracerecord.h). Fails with an Error (errnum 0)
// naming the problem when the size is not the record's, or the kind or family
// is not one the program writes; never reads outside `bytes`.
Result<TraceEvent> decodeTraceRecord(std::span<const std::byte> bytes);

} // namespace sockscope
