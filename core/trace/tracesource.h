// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "trace/traceevent.h"
#include "util/result.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

struct tcptrace;
struct ring_buffer;

namespace sockscope {

// Filters applied in the kernel, fixed when the program is loaded, and the
// reorder window applied here.
struct TraceOptions
{
    std::optional<Family> family;      // nullopt: both
    std::optional<std::uint16_t> port; // the local OR the remote port
    // Only sockets of this network namespace (the inode of /proc/PID/ns/net);
    // nullopt: every namespace, as the tracepoints are machine-wide.
    std::optional<std::uint32_t> networkNamespace;
    // How long an event is held back so that events from other CPUs with an
    // earlier time can still overtake it (0: hand events out as read). The ring
    // buffer delivers in reservation order, and each CPU reads the clock just
    // before committing, so across CPUs delivery order and time order differ
    // by microseconds (in the burst test 4 to 27 of 10,000 events, worst
    // 0.8 to 42 us with a parallel build loading both CPUs).
    std::int64_t reorderWindowNs = 1'000'000;
    // Probe tcp_timewait_state_process() (fentry/fexit) for a timewait
    // socket's FIN_WAIT2->TIME_WAIT. On by default; open() drops it by itself
    // when the kernel refuses it. false: never try (what such a kernel gets).
    bool timewaitProbe = true;
    // fd() becomes readable with the first record after a drain emptied the
    // ring buffer (at most one wakeup per drain: a reader that keeps draining
    // on a timer while events come fast is not woken per record), and with
    // this: also whenever this many bytes wait (0: never).
    std::uint32_t wakeupBytes = 0;
};

// TCP state transitions and resets from the kernel's tracepoints
// (sock:inet_sock_set_state, tcp:tcp_send_reset, tcp:tcp_receive_reset), and
// a timewait socket's substate change (see seesTimewaitFin()), through
// one BPF ring buffer, in the order the kernel made them. Not thread-safe: one
// thread drains it, possibly waiting on fd() together with other descriptors.
// Why events never reached the ring buffer's reader. The two call for
// different remedies: a full buffer means a slow reader; a skip is the
// kernel's, outside any reader's control.
struct TraceLosses
{
    // No room for the record: the reader was too far behind (or, on kernels
    // whose ring buffer lock gives up, the lock was not taken in time).
    std::uint64_t bufferFull = 0;
    // The kernel did not run the program: it was already running on that CPU
    // when the tracepoint fired again (a softirq interrupted it).
    std::uint64_t skipped = 0;
};

class TraceSource
{
public:
    ~TraceSource();
    TraceSource(const TraceSource &) = delete;
    TraceSource &operator=(const TraceSource &) = delete;

    // Loads and attaches the program. Fails with EPERM without root or
    // CAP_BPF+CAP_PERFMON, ENOENT without kernel BTF, libbpf's errno (and its
    // last messages) when loading or attaching fails, and EOPNOTSUPP when built
    // without libbpf; every message names the fix.
    static Result<std::unique_ptr<TraceSource>> open(const TraceOptions &options);

    // A descriptor that becomes readable when events are waiting (epoll).
    int fd() const;

    // Whether a timewait socket's move from substate FIN_WAIT2 to TIME_WAIT
    // (the peer's FIN reaching an orphaned socket) is reported: false when the
    // kernel refused the probe on tcp_timewait_state_process() or
    // TraceOptions::timewaitProbe was off. Every other event is reported either way.
    bool seesTimewaitFin() const;
    // Why the kernel refused that probe (libbpf's errno and last messages);
    // empty when it did not, or when TraceOptions::timewaitProbe was off.
    QString timewaitProbeFailure() const;
    // What this trace does not see, said to a user in a sentence or two with
    // the kernel's reason: the timewait probe's transition when it was
    // refused; empty when every transition is traced.
    QString missedNotice() const;

    // Reads every record available now, without blocking, and hands `sink`
    // those older than the reorder window, in time order; returns how many it
    // handed out. The rest wait for a later drain (see msUntilDue()). A
    // malformed record stops the drain with an Error (errnum 0) after being
    // consumed, so the next drain continues behind it; a libbpf failure returns
    // its errno.
    Result<int> drain(const std::function<void(const TraceEvent &)> &sink);

    // Hands out every held event, in time order, ignoring the window (when
    // stopping). Returns how many.
    int flush(const std::function<void(const TraceEvent &)> &sink);

    // Milliseconds until the oldest held event is due (0 if it is), -1 when
    // none is held: the timeout for a wait on fd().
    int msUntilDue() const;

    // Events lost since open(), by cause; never reset, a reader compares
    // against its last values.
    TraceLosses losses() const;

private:
    TraceSource() = default;
    // libbpf's sample callback; `context` is the TraceSource.
    static int onRecord(void *context, void *data, std::size_t size);
    // Sorts the held events and hands out those at or before `cutoffNs`.
    int handOut(const std::function<void(const TraceEvent &)> &sink, std::int64_t cutoffNs);

    ::tcptrace *m_skeleton = nullptr;
    ::ring_buffer *m_ring = nullptr;
    std::int64_t m_windowNs = 0;
    bool m_seesTimewaitFin = false;
    QString m_timewaitFailure;
    // Read but not handed out yet, in delivery order up to the next sort.
    std::vector<TraceEvent> m_held;
    // The first malformed record of the current drain.
    std::optional<Error> m_malformed;
};

} // namespace sockscope
