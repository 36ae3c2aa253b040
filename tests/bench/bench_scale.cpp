// SPDX-License-Identifier: GPL-3.0-or-later
// SockScope at 1,000 / 10,000 / 100,000 sockets, beside the reference tools, in
// one run (this machine is shared and noisy: compare the ratios). For each size,
// in its own private network namespace, a realistic population (LISTEN,
// ESTABLISHED, FIN_WAIT2/CLOSE_WAIT pairs, TIME_WAIT; tests/support/population.h)
// and then:
//  1. in process, median of `runs` after a warm-up: a raw sock_diag dump that
//     only counts messages (the floor), the poll (DiagClient::dump and
//     ConnectionTracker::apply), the poll with owners, cold (a new
//     OwnerResolver each time) and warm (the same one);
//  2. whole processes, interleaved run by run: `sockscope dump --no-owners`
//     against `ss -tan`, `sockscope dump --json` (owners included) and
//     `sockscope dump` against `ss -tanp`, with each one's peak RSS;
//  3. the idle window (offscreen) with tracing and with --no-trace: CPU and RSS.
// After the sizes, bench_model (beside this program): the tracker and the
// window's models applying a 10,000-socket poll with 10 % churn.
//
//   bench_scale [sizes=1000,10000,100000] [runs=5] [window-seconds=10]
//   bench_scale --size N RUNS WINDOW-SECONDS     (internal: one size)
#include "events/connectiontracker.h"
#include "netlink/diagclient.h"
#include "netns.h"
#include "owners/ownerresolver.h"
#include "population.h"
#include "processmeasure.h"
#include "rawdiag.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace sockscope;
using test::median;
using test::nowNs;

namespace {

// Median ms of `runs` calls after one uncounted warm-up call.
double timeInProcess(int runs, const std::function<void()> &work)
{
    work();
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const std::int64_t start = nowNs();
        work();
        ms.push_back(static_cast<double>(nowNs() - start) / 1e6);
    }
    return median(ms);
}

std::vector<SocketRecord> dumpOrDie(DiagClient &client)
{
    auto dump = client.dump({});
    if (!dump) {
        std::fprintf(stderr, "dump failed: %s\n", qPrintable(dump.error().message));
        std::exit(1);
    }
    return std::move(*dump);
}

void printStates(const std::vector<SocketRecord> &sockets)
{
    std::map<std::string, int> counts;
    for (const SocketRecord &socket : sockets)
        ++counts[tcpStateCName(socket.state)];
    std::printf("  %zu TCP sockets:", sockets.size());
    for (const auto &[state, count] : counts)
        std::printf(" %s %d", state.c_str(), count);
    std::printf("\n");
}

void printRow(const char *what, double ms, double referenceMs, const char *reference)
{
    std::printf("  %-44s %9.2f ms", what, ms);
    if (referenceMs > 0)
        std::printf("   %5.2fx %s", ms / referenceMs, reference);
    std::printf("\n");
}

void measureInProcess(int runs)
{
    auto client = DiagClient::open();
    if (!client) {
        std::fprintf(stderr, "%s\n", qPrintable(client.error().message));
        std::exit(1);
    }
    DiagClient &diag = **client;
    const double floorMs = timeInProcess(runs, [] { test::rawDumpCount(); });
    const double dumpMs = timeInProcess(runs, [&] { dumpOrDie(diag); });
    ConnectionTracker tracker;
    tracker.apply(dumpOrDie(diag), 0);
    std::int64_t pollTime = 0;
    const double pollMs =
        timeInProcess(runs, [&] { tracker.apply(dumpOrDie(diag), pollTime += 250); });
    const auto ownedPoll = [&](OwnerResolver &owners, ConnectionTracker &into) {
        const std::vector<SocketRecord> dump = dumpOrDie(diag);
        owners.refresh(dump);
        into.apply(dump, pollTime += 250,
                   [&owners](const SocketRecord &socket) { return owners.lookup(socket); });
    };
    const double coldMs = timeInProcess(runs, [&] {
        OwnerResolver owners;
        ownedPoll(owners, tracker);
    });
    OwnerResolver warmOwners;
    const double warmMs = timeInProcess(runs, [&] { ownedPoll(warmOwners, tracker); });
    std::printf("  in process (median of %d):\n", runs);
    printRow("raw sock_diag dump, messages counted (floor)", floorMs, 0, "");
    printRow("DiagClient::dump (decoded records)", dumpMs, floorMs, "the floor");
    printRow("poll: dump + tracker apply", pollMs, floorMs, "the floor   (target < 1.5x)");
    printRow("poll with owners, cold (new resolver)", coldMs, floorMs, "the floor");
    printRow("poll with owners, warm", warmMs, floorMs, "the floor   (target < 2x)");
}

struct Program
{
    const char *what;
    std::vector<std::string> arguments;
    std::vector<test::ProcessSample> samples;
    double ms() const
    {
        std::vector<double> values;
        for (const test::ProcessSample &sample : samples)
            values.push_back(sample.ms);
        return median(values);
    }
    long peakKiB() const
    {
        long peak = -1;
        for (const test::ProcessSample &sample : samples)
            peak = std::max(peak, sample.maxRssKiB);
        return peak;
    }
};

void measureProcesses(int runs, const std::string &binary, std::size_t sockets)
{
    std::vector<Program> programs = {
        {"ss -tan", {"ss", "-tan"}, {}},
        {"sockscope dump --no-owners", {binary, "dump", "--no-owners"}, {}},
        {"ss -tanp", {"ss", "-tanp"}, {}},
        {"sockscope dump --json (owners)", {binary, "dump", "--json"}, {}},
        {"sockscope dump (owners)", {binary, "dump"}, {}},
    };
    // Interleaved, so that a noisy second hits every program alike.
    for (int run = 0; run <= runs; ++run) {
        for (Program &program : programs) {
            const test::ProcessSample sample = test::runAndMeasure(program.arguments);
            if (run > 0) // the first round warms the page cache
                program.samples.push_back(sample);
        }
    }
    std::printf("  whole processes (median of %d, interleaved; peak RSS):\n", runs);
    const auto row = [&](const Program &program, const Program *reference, const char *target) {
        std::printf("  %-44s %9.2f ms %8ld KiB", program.what, program.ms(), program.peakKiB());
        if (reference)
            std::printf("   %5.2fx %s%s", program.ms() / reference->ms(), reference->what, target);
        std::printf("\n");
    };
    row(programs[0], nullptr, "");
    row(programs[1], &programs[0], "   (target < 1x)");
    row(programs[2], nullptr, "");
    row(programs[3], &programs[2], "   (target < 1x)");
    row(programs[4], &programs[2], "");
    if (sockets > 0)
        std::printf(
            "  memory per socket: dump --json %.0f B, dump --no-owners %.0f B\n",
            1024.0 * static_cast<double>(programs[3].peakKiB()) / static_cast<double>(sockets),
            1024.0 * static_cast<double>(programs[1].peakKiB()) / static_cast<double>(sockets));
}

void measureWindow(int windowSeconds, const std::string &binary, DiagClient &diag)
{
    char configTemplate[] = "/tmp/bench_scale_config.XXXXXX";
    if (!::mkdtemp(configTemplate)) {
        std::fprintf(stderr, "mkdtemp: %s\n", std::strerror(errno));
        return;
    }
    std::printf("  the idle window, offscreen (%d s after a warm-up of 8 s or more):\n",
                windowSeconds);
    for (const bool tracing : {true, false}) {
        std::vector<std::string> arguments{binary};
        if (!tracing)
            arguments.push_back("--no-trace");
        const std::size_t before = dumpOrDie(diag).size();
        const test::IdleSample idle =
            test::measureIdle(arguments, true, 8000, windowSeconds * 1000, configTemplate);
        const std::size_t after = dumpOrDie(diag).size();
        if (!idle.alive) {
            std::printf("  window %s: exited early\n", tracing ? "tracing" : "--no-trace");
            continue;
        }
        const double perSocket =
            1024.0 * static_cast<double>(idle.rssKiB - 40 * 1024) / static_cast<double>(after);
        std::printf("  %-44s %9.2f %% CPU %8ld KiB RSS (%.0f B per socket over 40 MiB; %zu -> %zu "
                    "sockets; bpf fds %d)\n",
                    tracing ? "window, tracing" : "window, --no-trace", idle.cpuPercent,
                    idle.rssKiB, perSocket, before, after, idle.bpfFds);
    }
    const std::string cleanup = std::string("rm -rf '") + configTemplate + "'";
    (void)!std::system(cleanup.c_str());
}

int runSize(int sockets, int runs, int windowSeconds)
{
    QString reason;
    if (!test::enterPrivateNetwork(&reason)) {
        std::fprintf(stderr, "cannot enter a private network namespace: %s\n", qPrintable(reason));
        return 1;
    }
    const std::int64_t start = nowNs();
    test::Population population(test::realisticMix(sockets));
    if (std::string why; !population.waitReady(&why)) {
        std::fprintf(stderr, "%s\n", why.c_str());
        return 1;
    }
    auto client = DiagClient::open();
    if (!client)
        return 1;
    const std::vector<SocketRecord> sockets0 = dumpOrDie(**client);
    std::printf("== %d sockets asked for, set up in %.1f s\n", sockets,
                static_cast<double>(nowNs() - start) / 1e9);
    printStates(sockets0);
    const char *override = std::getenv("BENCH_SOCKSCOPE");
    const std::string binary = override && *override ? override : SOCKSCOPE_BINARY;
    measureInProcess(runs);
    measureProcesses(runs, binary, sockets0.size());
    if (windowSeconds > 0)
        measureWindow(windowSeconds, binary, **client);
    std::printf("  (TIME_WAIT sockets expire 60 s after set-up: later rows see fewer)\n");
    population.release();
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    if (argc == 5 && std::strcmp(argv[1], "--size") == 0)
        return runSize(std::atoi(argv[2]), std::atoi(argv[3]), std::atoi(argv[4]));
    const std::string sizes = argc > 1 ? argv[1] : "1000,10000,100000";
    const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    const int windowSeconds = argc > 3 ? std::atoi(argv[3]) : 10;
    if (runs < 1 || runs > 50 || windowSeconds < 0 || windowSeconds > 120) {
        std::fprintf(stderr,
                     "usage: %s [sizes=1000,10000,100000 (each 0..150000)] [runs (1..50)] "
                     "[window-seconds (0..120; 0 skips the window)]\n",
                     argv[0]);
        return 2;
    }
    std::printf("bench_scale: binary %s\n", SOCKSCOPE_BINARY);
    int worst = 0;
    std::size_t from = 0;
    while (from < sizes.size()) {
        const std::size_t comma = sizes.find(',', from);
        const std::string size = sizes.substr(from, comma - from);
        from = comma == std::string::npos ? sizes.size() : comma + 1;
        const int count = std::atoi(size.c_str());
        if (count < 0 || count > 150'000) {
            std::fprintf(stderr, "size %s is out of range 0..150000\n", size.c_str());
            return 2;
        }
        // Each size in a child with its own namespace: no TIME_WAIT carries over.
        const pid_t pid = ::fork();
        if (pid == 0) {
            const std::string runsText = std::to_string(runs);
            const std::string windowText = std::to_string(windowSeconds);
            ::execl("/proc/self/exe", argv[0], "--size", size.c_str(), runsText.c_str(),
                    windowText.c_str(), static_cast<char *>(nullptr));
            _exit(127);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        worst = std::max(worst, WIFEXITED(status) ? WEXITSTATUS(status) : 128);
    }
    // The model's figures come from synthetic snapshots: no namespace needed.
    std::fflush(stdout);
    std::printf("== the model applying a poll (bench_model 10000 10 %d)\n", runs);
    std::fflush(stdout);
    const pid_t model = ::fork();
    if (model == 0) {
        const std::string runsText = std::to_string(runs);
        const std::string directory = std::filesystem::read_symlink("/proc/self/exe").parent_path();
        const std::string program = directory + "/bench_model";
        ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
        ::execl(program.c_str(), program.c_str(), "10000", "10", runsText.c_str(),
                static_cast<char *>(nullptr));
        _exit(127);
    }
    int status = 0;
    ::waitpid(model, &status, 0);
    worst = std::max(worst, WIFEXITED(status) ? WEXITSTATUS(status) : 128);
    return worst;
}
