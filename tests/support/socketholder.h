// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <sys/types.h>

namespace sockscope::test {

// A forked child that runs `open` (which opens sockets and keeps them in
// objects of its own), reports whether it succeeded, and holds them until
// release(). Benchmarks hold more sockets than one process's descriptor limit
// allows (a hard limit of 20,000 is common; raising it needs CAP_SYS_RESOURCE).
class SocketHolder
{
public:
    explicit SocketHolder(const std::function<bool()> &open);
    ~SocketHolder();
    SocketHolder(const SocketHolder &) = delete;
    SocketHolder &operator=(const SocketHolder &) = delete;

    // Blocks until the child has opened everything; false when it failed.
    bool waitReady();
    // Ends the child (and its sockets) and reaps it. Safe to call twice.
    void release();

private:
    pid_t m_pid = -1;
    int m_ready = -1;
};

// A value from /proc/PID/status in KiB ("VmRSS", "VmHWM"); -1 when unreadable.
long procStatusKiB(pid_t pid, const char *key);

} // namespace sockscope::test
