// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "owners/ownerinfo.h"

#include <cstdint>
#include <QList>
#include <QMetaType>

namespace sockscope {

enum class EventKind : std::uint8_t
{
    Appeared,
    StateChanged,
    Gone,
    ResetSent,    // the connection sent a RST (traced only)
    ResetReceived // the connection received a RST (traced only)
};
// "appeared", "state", "gone", "reset-sent", "reset-received"
QString eventKindName(EventKind kind);

// Which observation produced an event: the kernel's tracepoints (exact, root or
// CAP_BPF+CAP_PERFMON), a periodic dump, or the kernel's destroy notification
// (root / CAP_NET_ADMIN).
enum class EventSource : std::uint8_t
{
    Poll,
    Destroy,
    Trace
};
QString eventSourceName(EventSource source); // "poll", "destroy", "trace"

// One stretch of a connection's life in one state. leftMs < 0: still in it.
struct StateSpan
{
    TcpState state = TcpState::Unknown;
    std::int64_t enteredMs = 0;
    std::int64_t leftMs = -1;
};

// A connection as the tracker knows it now: the newest socket record for its
// 4-tuple, who owns it, and every state it went through while observed.
struct ConnectionView
{
    std::uint64_t id = 0; // stable for the connection's whole life, never reused
    SocketRecord socket;
    OwnerLookup owner;
    std::int64_t firstSeenMs = 0;
    std::int64_t stateSinceMs = 0; // when the current state was first observed
    // True when the connection was already in its state when first observed, so
    // stateSinceMs is a lower bound of the time in state.
    bool stateSinceIsLowerBound = false;
    QList<StateSpan> history;
};

// The history to change in place: a fresh copy of it. Views leave in batches
// for other threads, which may still read the list's shared block when its
// owner changes it; QList's own copy-on-write decides with a relaxed load of
// the count, which does not order those reads before our write. A fresh
// block costs one allocation per state change, not one per batch item.
QList<StateSpan> &historyToChange(ConnectionView &view);

struct SocketEvent
{
    std::int64_t timeMs = 0; // monotonicMs() of the observation
    // The same instant in CLOCK_MONOTONIC nanoseconds: exact for traced events,
    // timeMs * 1e6 for the others. Consumers order events by it.
    std::int64_t timeNs = 0;
    EventKind kind = EventKind::Appeared;
    EventSource source = EventSource::Poll;
    TcpState from = TcpState::Unknown; // StateChanged, Gone: the previous state
    TcpState to = TcpState::Unknown;   // Appeared, StateChanged: the new state
    // Part of the first snapshot: it already existed when watching started.
    bool initial = false;
    // Traced events made by a process's own system call (connect, listen,
    // close...): that process. 0 when the kernel acted on its own (softirq,
    // timers) or the event was not traced.
    int pid = 0;
    QString command;
    ConnectionView connection; // after the event (for Gone: the last view)
};

} // namespace sockscope

Q_DECLARE_METATYPE(sockscope::SocketEvent)
