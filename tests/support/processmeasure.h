// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

// Measuring whole programs for the benchmarks (tests/bench): run time, peak
// memory, and CPU while idle.
namespace sockscope::test {

std::int64_t nowNs(); // CLOCK_MONOTONIC
// The middle value (the mean of the two middle ones); -1 for none.
double median(std::vector<double> values);
void sleepMs(int ms);

// utime + stime of a process, in ns; -1 when it cannot be read.
std::int64_t procCpuNs(pid_t pid);

// Descriptors that are BPF objects (maps, programs, links): > 0 means the
// process traces.
int bpfDescriptors(pid_t pid);

// Drops what tracing needs (CAP_SYS_ADMIN, CAP_BPF, CAP_PERFMON) from this
// process and what it executes: TraceSource::open() then fails with EPERM and
// the Poller polls, as for a user without them. Everything else (sock_diag,
// destroy notices: CAP_NET_ADMIN, /proc of root's processes) is unchanged.
bool dropTraceCapabilities();

struct ProcessSample
{
    double ms = -1;
    long maxRssKiB = -1;
};
// Runs a program with its output to /dev/null: wall time and its peak RSS.
ProcessSample runAndMeasure(const std::vector<std::string> &arguments);

// Starts a program offscreen (settings in configDir, output to /dev/null;
// without tracing capabilities unless `tracing`); ends it with SIGTERM, then
// SIGKILL after 2 s.
pid_t startOffscreen(const std::vector<std::string> &arguments, bool tracing,
                     const std::string &configDir);
void endProcess(pid_t pid);

// Entries of /proc/PID/fd; -1 when it cannot be read.
int openDescriptors(pid_t pid);

struct IdleSample
{
    double startupCpuS = -1; // CPU used until the measurement starts
    double cpuPercent = -1;  // of one CPU, over the window
    long rssKiB = -1;
    long hwmKiB = -1;
    int bpfFds = -1;
    bool alive = false;
    int warmMs = 0;
};
// Starts `arguments` (offscreen, settings in configDir; without tracing
// capabilities unless `tracing`), lets it warm up for at least warmMs and until
// a one-second slice uses under half a CPU (40 s at most), then measures its
// CPU over windowMs and its memory, and ends it.
IdleSample measureIdle(const std::vector<std::string> &arguments, bool tracing, int warmMs,
                       int windowMs, const std::string &configDir);

} // namespace sockscope::test
