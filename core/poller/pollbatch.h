// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"

#include <cstdint>
#include <QMetaType>
#include <QString>
#include <vector>

namespace sockscope {

struct PollStats
{
    int pollNumber = 0;
    int socketCount = 0;
    std::int64_t dumpUs = 0;   // netlink dump and decode
    std::int64_t ownersUs = 0; // procfs owner refresh
    std::int64_t totalUs = 0;
    bool ownersScanned = false;  // false: every owner came from the cache
    bool ownersComplete = true;  // false: some processes' descriptors were unreadable
    bool destroyNotices = false; // destroy multicast joined (root / CAP_NET_ADMIN)
    // Every transition comes from the kernel's tracepoints; the dump only
    // refreshes queues, timers, owners and whatever the trace cannot see.
    bool tracing = false;
    // What is missed, for a user: without tracing, one sentence saying so
    // and how to get it; tracing, what a refused optional probe would have
    // seen (empty: nothing is missed).
    QString traceNotice;
    std::uint64_t traceEvents = 0; // transitions and resets read since start
    // Events lost since start (traceloss.h says why in words): no room in the
    // ring buffer, or skipped by the kernel while the program ran on that CPU.
    std::uint64_t traceDrops = 0;
    std::uint64_t traceSkipped = 0;
    // Milliseconds between full dumps now: adaptive while tracing; when
    // polling, the chosen interval unless polling would take more than its
    // share of a core, then stretched (backedOff).
    int dumpIntervalMs = 0;
    bool backedOff = false;
    std::int64_t pollCpuUs = 0; // the last full poll's CPU on the poller thread
    // First port of net.ipv4.ip_local_port_range: ports below it are "chosen", above
    // it usually the kernel's picks for outgoing connections.
    int ephemeralPortStart = 32768;
    int ephemeralPortEnd = 60999; // its last port
    // The network namespace dumped and traced (its inode): another one than
    // the machine's when the user chose it (--netns, the window's picker).
    std::uint64_t networkNamespace = 0;
    // This dump answered pollNow(): whoever asked knows its answer from a
    // timed poll that was already under way.
    bool asked = false;
};

// What one poll (or one destroy notice) changed, handed to the GUI thread by
// value (Poller's mailbox): the receiver never touches the poller's state.
struct PollBatch
{
    std::int64_t timeMs = 0;
    bool initial = false;
    std::vector<SocketEvent> events;
    std::vector<ConnectionView> updated;
    PollStats stats;
};

} // namespace sockscope

Q_DECLARE_METATYPE(sockscope::PollBatch)
