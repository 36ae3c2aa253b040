// SPDX-License-Identifier: GPL-3.0-or-later
// What mapping sockets to their processes costs: OwnerResolver cold and warm
// against the /proc walk `ss -p` does, `ss -tanp` and `ss -tan` as whole
// processes, and the raw netlink dump (the floor of a poll), over N loopback
// connections held by child processes in a private network namespace (the
// holders share it; the machine's other processes live in other namespaces).
//
//   bench_owners [pairs=5000] [runs=5]
#include "descriptorlimit.h"
#include "loopback.h"
#include "netlink/diagclient.h"
#include "netns.h"
#include "owners/ownerresolver.h"
#include "processmeasure.h"
#include "rawdiag.h"
#include "socketholder.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <functional>
#include <memory>
#include <QElapsedTimer>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unordered_map>
#include <vector>

using namespace sockscope;

namespace {

struct Row
{
    std::string what;
    double medianMs = 0;
    double minMs = 0;
    double maxMs = 0;
};

double elapsedMs(const QElapsedTimer &timer)
{
    return static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

// `prepare` runs before each timed run and is not counted.
Row measure(const std::string &what, int runs, const std::function<void()> &run,
            const std::function<void()> &prepare = {})
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        if (prepare)
            prepare();
        QElapsedTimer timer;
        timer.start();
        run();
        times.push_back(elapsedMs(timer));
    }
    std::sort(times.begin(), times.end());
    const std::size_t middle = times.size() / 2;
    const double median =
        times.size() % 2 ? times[middle] : (times[middle - 1] + times[middle]) / 2;
    return {what, median, times.front(), times.back()};
}

// The whole process, start-up included, its output to /dev/null.
void runProcess(const std::vector<std::string> &arguments)
{
    test::runAndMeasure(arguments);
}

// The reference: what `ss -p` does before printing. Every process in /proc,
// every entry of its fd directory read with readlink() on a full path, socket
// targets put in an inode table.
long procWalkLikeSs(std::unordered_map<std::uint32_t, int> &table)
{
    table.clear();
    DIR *proc = ::opendir("/proc");
    if (!proc)
        return -1;
    long sockets = 0;
    char path[320];
    char target[64];
    while (const dirent *process = ::readdir(proc)) {
        const int pid = std::atoi(process->d_name);
        if (pid <= 0)
            continue;
        std::snprintf(path, sizeof path, "/proc/%d/fd", pid);
        DIR *fds = ::opendir(path);
        if (!fds)
            continue;
        while (const dirent *fd = ::readdir(fds)) {
            if (fd->d_name[0] == '.')
                continue;
            std::snprintf(path, sizeof path, "/proc/%d/fd/%s", pid, fd->d_name);
            const ssize_t length = ::readlink(path, target, sizeof target - 1);
            if (length <= 0)
                continue;
            target[length] = '\0';
            unsigned inode = 0;
            if (std::sscanf(target, "socket:[%u]", &inode) == 1) {
                table.emplace(inode, pid);
                ++sockets;
            }
        }
        ::closedir(fds);
    }
    ::closedir(proc);
    return sockets;
}

std::vector<SocketRecord> dumpAll(DiagClient &client)
{
    auto records = client.dump(DumpFilter{});
    if (!records) {
        std::fprintf(stderr, "%s\n", qPrintable(records.error().message));
        std::exit(1);
    }
    return std::move(*records);
}

std::size_t ownedCount(const OwnerResolver &resolver, const std::vector<SocketRecord> &records)
{
    std::size_t owned = 0;
    for (const SocketRecord &record : records)
        owned += resolver.lookup(record).ownership == Ownership::Owned;
    return owned;
}

// Both ends of `pairs` loopback connections, opened in this process.
struct Pairs
{
    UniqueFd listener;
    std::vector<UniqueFd> ends;

    bool open(int pairs)
    {
        if (!listener.valid())
            listener = test::listenOn();
        const std::uint16_t port = test::localPort(listener.get());
        ends.reserve(ends.size() + 2 * static_cast<std::size_t>(pairs));
        for (int i = 0; i < pairs; ++i) {
            ends.push_back(test::connectTo(port));
            ends.push_back(test::acceptOne(listener.get(), 5000));
            if (!ends[ends.size() - 2].valid() || !ends.back().valid())
                return false;
        }
        return true;
    }
};

void printRows(const std::vector<Row> &rows, double ssP, double walk)
{
    std::printf("%-46s %10s %9s %9s %11s %11s\n", "what", "median ms", "min ms", "max ms",
                "/ ss -tanp", "/ raw walk");
    for (const Row &row : rows)
        std::printf("%-46s %10.2f %9.2f %9.2f %11.3f %11.3f\n", row.what.c_str(), row.medianMs,
                    row.minMs, row.maxMs, row.medianMs / ssP, row.medianMs / walk);
}

} // namespace

int main(int argc, char **argv)
{
    const int pairs = argc > 1 ? std::atoi(argv[1]) : 5000;
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    if (pairs < 10 || pairs > 100'000) {
        std::fprintf(stderr, "usage: %s [pairs (10..100000)] [runs]\n", argv[0]);
        return 2;
    }
    QString reason;
    const bool isolated = test::enterPrivateNetwork(&reason);
    if (!isolated)
        std::fprintf(stderr, "running on the host network: %s\n", qPrintable(reason));
    test::raiseDescriptorLimit(40'000);
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    const int perProcess = std::max(100, static_cast<int>((limit.rlim_cur - 256) / 2));
    const int churned = pairs / 10; // held here, replaced before each churn run
    if (churned > perProcess) {
        std::fprintf(stderr, "RLIMIT_NOFILE %llu is too low for %d pairs here\n",
                     static_cast<unsigned long long>(limit.rlim_cur), churned);
        return 1;
    }

    QElapsedTimer setup;
    setup.start();
    std::vector<std::unique_ptr<test::SocketHolder>> holders;
    Pairs held; // filled in each holder child only
    for (int left = pairs - churned; left > 0; left -= perProcess) {
        const int count = std::min(left, perProcess);
        holders.push_back(
            std::make_unique<test::SocketHolder>([&held, count] { return held.open(count); }));
        if (!holders.back()->waitReady()) {
            std::fprintf(stderr, "a holder process could not open %d pairs\n", count);
            return 1;
        }
    }
    Pairs churn;
    if (!churn.open(churned)) {
        std::fprintf(stderr, "could not open %d pairs here\n", churned);
        return 1;
    }
    auto client = DiagClient::open();
    if (!client) {
        std::fprintf(stderr, "%s\n", qPrintable((client.error().message)));
        return 1;
    }
    const std::vector<SocketRecord> records = dumpAll(**client);
    std::printf("%d loopback pairs (%zu sockets dumped) held by %zu processes and this one, %s, "
                "set up in %lld ms; %d runs each\n",
                pairs, records.size(), holders.size(),
                isolated ? "private network namespace" : "HOST network", setup.elapsed(), runs);

    std::vector<Row> rows;
    rows.push_back(
        measure("raw netlink dump, count only (floor)", runs, [] { test::rawDumpCount(); }));
    rows.push_back(measure("DiagClient::dump", runs, [&] { dumpAll(**client); }));
    std::unordered_map<std::uint32_t, int> table;
    table.reserve(records.size() * 2);
    long walked = 0;
    rows.push_back(measure("raw /proc walk like ss -p (every process)", runs,
                           [&] { walked = procWalkLikeSs(table); }));
    rows.push_back(measure("ss -tan (process)", runs, [] { runProcess({"ss", "-tan"}); }));
    rows.push_back(measure("ss -tanp (process)", runs, [] { runProcess({"ss", "-tanp"}); }));
#ifdef SOCKSCOPE_BINARY
    rows.push_back(measure("sockscope dump --json (process)", runs, [] {
        runProcess({SOCKSCOPE_BINARY, "dump", "--json"});
    }));
#endif

    OwnerScanStats coldStats;
    std::size_t owned = 0;
    rows.push_back(measure("resolver cold: refresh + lookups", runs, [&] {
        OwnerResolver resolver;
        resolver.refresh(records);
        owned = ownedCount(resolver, records);
        coldStats = resolver.lastScan();
    }));
    OwnerScanStats firstStats;
    rows.push_back(measure("resolver cold, first holder only", runs, [&] {
        OwnerResolver resolver(QStringLiteral("/proc"), OwnerResolver::Holders::FirstFound);
        resolver.refresh(records);
        ownedCount(resolver, records);
        firstStats = resolver.lastScan();
    }));

    OwnerResolver warm;
    warm.refresh(records);
    rows.push_back(measure("resolver warm, same dump: refresh + lookups", runs, [&] {
        warm.refresh(records);
        ownedCount(warm, records);
    }));
    rows.push_back(measure("poll warm: DiagClient::dump + resolver", runs, [&] {
        const std::vector<SocketRecord> dump = dumpAll(**client);
        warm.refresh(dump);
        ownedCount(warm, dump);
    }));
    std::vector<SocketRecord> churnedDump;
    OwnerScanStats churnStats;
    std::size_t churnOwned = 0;
    rows.push_back(measure(
        "resolver warm, 10% replaced: refresh + lookups", runs,
        [&] {
            warm.refresh(churnedDump);
            churnOwned = ownedCount(warm, churnedDump);
            churnStats = warm.lastScan();
        },
        [&] {
            churn.ends.clear(); // closed: TIME_WAIT (inode 0) or gone
            if (!churn.open(churned))
                std::fprintf(stderr, "reopening %d pairs failed\n", churned);
            churnedDump = dumpAll(**client);
        }));

    const double ssP = rows[4].medianMs;
    const double walk = rows[2].medianMs;
    printRows(rows, ssP, walk);
    const double floor = rows[0].medianMs;
    std::printf("\nraw walk found %ld socket fds; resolver cold owned %zu of %zu dumped sockets: "
                "%d pids listed, %d in other namespaces (not read), %d fds read\n",
                walked, owned, records.size(), coldStats.pidsListed, coldStats.pidsOtherNamespace,
                coldStats.fdsRead);
    std::printf("first holder only: %d pids listed, %d fds read, stopped early: %s\n",
                firstStats.pidsListed, firstStats.fdsRead, firstStats.stoppedEarly ? "yes" : "no");
    std::printf("10%% replaced: %d fds read, %zu of %zu owned\n", churnStats.fdsRead, churnOwned,
                churnedDump.size());
    std::printf("poll warm with owners / raw netlink floor: %.2fx (target under 2x)\n",
                rows[rows.size() - 2].medianMs / floor);
    for (auto &holder : holders)
        holder->release();
    return 0;
}
