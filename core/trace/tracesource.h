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

struct tcptrace;
struct ring_buffer;

namespace sockscope {

// Filters applied in the kernel, fixed when the program is loaded.
struct TraceOptions
{
    std::optional<Family> family;      // nullopt: both
    std::optional<std::uint16_t> port; // the local OR the remote port
    // Only sockets of this network namespace (the inode of /proc/PID/ns/net);
    // nullopt: every namespace, as the tracepoints are machine-wide.
    std::optional<std::uint32_t> networkNamespace;
};

// TCP state transitions and resets from the kernel's tracepoints
// (sock:inet_sock_set_state, tcp:tcp_send_reset, tcp:tcp_receive_reset) through
// one BPF ring buffer, in the order the kernel made them. Not thread-safe: one
// thread drains it, possibly waiting on fd() together with other descriptors.
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

    // Hands every event available now to `sink`, without blocking, and returns
    // how many. A malformed record stops the drain with an Error (errnum 0)
    // after being consumed, so the next drain continues behind it; a libbpf
    // failure returns its errno.
    Result<int> drain(const std::function<void(const TraceEvent &)> &sink);

    // Events the kernel could not queue because the ring buffer was full, since
    // open(). Never reset: a reader compares against its last value.
    std::uint64_t drops() const;

private:
    TraceSource() = default;
    // libbpf's sample callback; `context` is the TraceSource.
    static int onRecord(void *context, void *data, std::size_t size);

    ::tcptrace *m_skeleton = nullptr;
    ::ring_buffer *m_ring = nullptr;
    // Valid only during drain(): where records go, and the first malformed one.
    const std::function<void(const TraceEvent &)> *m_sink = nullptr;
    std::optional<Error> m_malformed;
};

} // namespace sockscope
