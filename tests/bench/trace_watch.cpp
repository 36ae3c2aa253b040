// SPDX-License-Identifier: GPL-3.0-or-later
// Manual check, not a test: trace_watch [port] [seconds] prints every TCP
// transition and reset the kernel reports, machine-wide, one line each.
#include "trace/tracesource.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <poll.h>

using namespace sockscope;

int main(int argc, char **argv)
{
    TraceOptions options;
    if (argc > 1 && std::atoi(argv[1]) > 0)
        options.port = static_cast<std::uint16_t>(std::atoi(argv[1]));
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 10;
    auto opened = TraceSource::open(options);
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().message));
        return 1;
    }
    TraceSource &source = **opened;
    const auto print = [](const TraceEvent &e) {
        std::printf("%lld.%09lld %-13s %-11s -> %-11s %s %s cookie %llu pid %d %s\n",
                    static_cast<long long>(e.timeNs / 1'000'000'000),
                    static_cast<long long>(e.timeNs % 1'000'000'000),
                    qPrintable(traceKindName(e.kind)), qPrintable(tcpStateName(e.from)),
                    qPrintable(tcpStateName(e.to)), qPrintable(e.local.text(e.family)),
                    qPrintable(e.remote.text(e.family)), static_cast<unsigned long long>(e.cookie),
                    e.pid, qPrintable(e.command));
    };
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < end) {
        const int due = source.msUntilDue();
        pollfd waiter{source.fd(), POLLIN, 0};
        ::poll(&waiter, 1, due >= 0 ? due : 200);
        Result<int> drained = source.drain(print);
        if (!drained)
            std::fprintf(stderr, "%s\n", qPrintable(drained.error().message));
        std::fflush(stdout);
    }
    source.flush(print);
    const TraceLosses losses = source.losses();
    std::fprintf(stderr, "drops: %llu buffer full, %llu skipped by the kernel\n",
                 static_cast<unsigned long long>(losses.bufferFull),
                 static_cast<unsigned long long>(losses.skipped));
    return 0;
}
