// SPDX-License-Identifier: GPL-3.0-or-later
// Soak (docs/PERFORMANCE.md, "Soak"): the window (offscreen, polling every
// 50 ms, tracing on) watches connections open and close on loopback at a
// steady rate for minutes, in a private network namespace; its RSS, open
// descriptors and CPU are sampled every few seconds. Verdict: after the
// warm-up, memory and descriptors are flat.
//
//   soak [seconds=600] [connections-per-second=1000] [sample-seconds=10] [warm-up-seconds=60]
//
// Each connection: connect, accept, the client closes first (FIN_WAIT1,
// FIN_WAIT2, TIME_WAIT), then the server (CLOSE_WAIT, LAST_ACK). The rate is
// the kernel's own count (Tcp ActiveOpens of /proc/net/snmp, per namespace).
// Flat: the median of the last minute's samples within 5 % or 4 MiB (the
// larger) of the first post-warm-up minute's, descriptors within 2.
#include "loopback.h"
#include "netns.h"
#include "processmeasure.h"
#include "socketholder.h"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace sockscope;
using test::nowNs;

namespace {

constexpr int kWorkers = 2;

struct Churner
{
    UniqueFd listener;
    std::uint16_t port = 0;
    std::atomic<long> failures{0};
};

// One worker: `rate` connections a second, paced against the start time so a
// slow moment is caught up rather than lost.
void churn(Churner *churner, double rate, const std::atomic<bool> *stop)
{
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(churner->port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const std::int64_t start = nowNs();
    for (long done = 0; !stop->load(std::memory_order_relaxed); ++done) {
        const std::int64_t due =
            start + static_cast<std::int64_t>(static_cast<double>(done) * 1e9 / rate);
        if (const std::int64_t wait = due - nowNs(); wait > 0)
            std::this_thread::sleep_for(std::chrono::nanoseconds(wait));
        UniqueFd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (!client.valid() ||
            ::connect(client.get(), reinterpret_cast<sockaddr *>(&to), sizeof to) != 0) {
            ++churner->failures;
            continue;
        }
        UniqueFd server(::accept4(churner->listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (!server.valid())
            ++churner->failures;
        client.reset(); // the active close: this end ends in TIME_WAIT
    }
}

// A "Tcp:" counter of /proc/net/snmp (this namespace's), by its name.
long tcpCounter(const char *name)
{
    FILE *file = std::fopen("/proc/net/snmp", "r");
    if (!file)
        return -1;
    char names[1024];
    char values[1024];
    long value = -1;
    while (std::fgets(names, sizeof names, file) && std::fgets(values, sizeof values, file)) {
        if (std::strncmp(names, "Tcp:", 4) != 0)
            continue;
        char *nameSave = nullptr;
        char *valueSave = nullptr;
        for (char *n = ::strtok_r(names, " \n", &nameSave),
                  *v = ::strtok_r(values, " \n", &valueSave);
             n && v; n = ::strtok_r(nullptr, " \n", &nameSave),
                  v = ::strtok_r(nullptr, " \n", &valueSave)) {
            if (std::strcmp(n, name) == 0)
                value = std::atol(v);
        }
    }
    std::fclose(file);
    return value;
}

// TIME_WAIT sockets of this namespace ("tw" in /proc/net/sockstat).
long timeWaitCount()
{
    FILE *file = std::fopen("/proc/net/sockstat", "r");
    if (!file)
        return -1;
    char line[256];
    long tw = -1;
    while (std::fgets(line, sizeof line, file)) {
        if (const char *at = std::strstr(line, " tw "); at && std::strncmp(line, "TCP:", 4) == 0)
            tw = std::atol(at + 4);
    }
    std::fclose(file);
    return tw;
}

struct Sample
{
    double t = 0;
    long rssKiB = -1;
    int fds = -1;
    double cpuPercent = 0;
    double rate = 0;
};

template <typename T> T medianOf(std::vector<T> values)
{
    if (values.empty())
        return T{};
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

struct Minute
{
    long rssKiB = 0;
    int fds = 0;
};

Minute medianBetween(const std::vector<Sample> &samples, double from, double to)
{
    std::vector<long> rss;
    std::vector<int> fds;
    for (const Sample &s : samples) {
        if (s.t > from && s.t <= to) {
            rss.push_back(s.rssKiB);
            fds.push_back(s.fds);
        }
    }
    return {medianOf(rss), medianOf(fds)};
}

} // namespace

int main(int argc, char **argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 600;
    const double rate = argc > 2 ? std::atof(argv[2]) : 1000;
    const int sampleSeconds = argc > 3 ? std::atoi(argv[3]) : 10;
    const int warmSeconds = argc > 4 ? std::atoi(argv[4]) : 60;
    if (seconds < 1 || seconds > 7200 || rate <= 0 || rate > 20000 || sampleSeconds < 1 ||
        warmSeconds < 0 || warmSeconds + 2 * 60 > seconds) {
        std::fprintf(stderr,
                     "usage: %s [seconds (1..7200)] [connections/s (0..20000]] [sample-seconds] "
                     "[warm-up-seconds]; seconds must leave two minutes after the warm-up\n",
                     argv[0]);
        return 2;
    }
    QString why;
    if (!test::enterPrivateNetwork(&why)) {
        std::fprintf(stderr, "soak: needs a private network namespace (root): %s\n",
                     qPrintable(why));
        return 2;
    }
    // 60 s of TIME_WAIT at the rate must fit the ephemeral ports.
    if (FILE *range = std::fopen("/proc/sys/net/ipv4/ip_local_port_range", "w")) {
        std::fputs("1024 65535\n", range);
        std::fclose(range);
    }

    char configTemplate[] = "/tmp/soak_config.XXXXXX";
    if (!::mkdtemp(configTemplate)) {
        std::perror("soak: mkdtemp");
        return 1;
    }
    const char *override = std::getenv("BENCH_SOCKSCOPE");
    const std::string binary = override && *override ? override : SOCKSCOPE_BINARY;
    const pid_t window = test::startOffscreen({binary, "--interval", "50"}, true, configTemplate);

    std::vector<std::unique_ptr<Churner>> churners;
    std::vector<std::thread> threads;
    std::atomic<bool> stop{false};
    for (int i = 0; i < kWorkers; ++i) {
        auto churner = std::make_unique<Churner>();
        churner->listener = test::listenOn();
        churner->port = test::localPort(churner->listener.get());
        ::listen(churner->listener.get(), 4096);
        threads.emplace_back(churn, churner.get(), rate / kWorkers, &stop);
        churners.push_back(std::move(churner));
    }

    std::printf("soak: %s --interval 50 (offscreen, pid %d) for %d s; %d threads churning %.0f "
                "connections/s on loopback; a sample every %d s, warm-up %d s\n",
                binary.c_str(), static_cast<int>(window), seconds, kWorkers, rate, sampleSeconds,
                warmSeconds);
    std::printf("%7s %9s %5s %8s %8s %10s %9s %8s\n", "t s", "RSS KiB", "fds", "bpf fds", "CPU %",
                "conn/s", "TIME_WAIT", "load1");
    std::vector<Sample> samples;
    const std::int64_t start = nowNs();
    long opens = tcpCounter("ActiveOpens");
    const long opensAtStart = opens;
    std::int64_t cpu = test::procCpuNs(window);
    std::int64_t last = start;
    bool alive = true;
    for (int t = sampleSeconds; t <= seconds && alive; t += sampleSeconds) {
        const std::int64_t due = start + static_cast<std::int64_t>(t) * 1'000'000'000LL;
        std::this_thread::sleep_for(std::chrono::nanoseconds(due - nowNs()));
        const std::int64_t now = nowNs();
        const std::int64_t cpuNow = test::procCpuNs(window);
        const long opensNow = tcpCounter("ActiveOpens");
        Sample s;
        s.t = static_cast<double>(now - start) / 1e9;
        s.rssKiB = test::procStatusKiB(window, "VmRSS");
        s.fds = test::openDescriptors(window);
        alive = cpuNow >= 0 && s.rssKiB >= 0;
        s.cpuPercent = 100.0 * static_cast<double>(cpuNow - cpu) / static_cast<double>(now - last);
        s.rate = static_cast<double>(opensNow - opens) * 1e9 / static_cast<double>(now - last);
        double load = 0;
        ::getloadavg(&load, 1);
        std::printf("%7.0f %9ld %5d %8d %8.1f %10.0f %9ld %8.2f\n", s.t, s.rssKiB, s.fds,
                    test::bpfDescriptors(window), s.cpuPercent, s.rate, timeWaitCount(), load);
        samples.push_back(s);
        cpu = cpuNow;
        opens = opensNow;
        last = now;
    }
    stop = true;
    for (std::thread &thread : threads)
        thread.join();
    test::endProcess(window);
    (void)!std::system(("rm -rf '" + std::string(configTemplate) + "'").c_str());
    if (!alive) {
        std::printf("verdict: FAILED, the window ended during the soak\n");
        return 1;
    }

    const double end = samples.back().t;
    const Minute first = medianBetween(samples, warmSeconds, warmSeconds + 60.0);
    const Minute lastMinute = medianBetween(samples, end - 60.0, end);
    const long rssAllowance = std::max(first.rssKiB / 20, 4096L);
    const bool rssFlat = lastMinute.rssKiB - first.rssKiB <= rssAllowance;
    const bool fdsFlat = std::abs(lastMinute.fds - first.fds) <= 2;
    long failures = 0;
    for (const auto &churner : churners)
        failures += churner->failures;
    std::vector<double> cpus;
    for (const Sample &s : samples)
        if (s.t > warmSeconds)
            cpus.push_back(s.cpuPercent);
    std::printf("churn: %.0f connections/s achieved (kernel's ActiveOpens over %.0f s; target "
                "%.0f), %ld failed connects or accepts\n",
                static_cast<double>(opens - opensAtStart) / end, end, rate, failures);
    std::printf("window CPU after warm-up: median %.1f %% of one CPU\n", medianOf(cpus));
    std::printf("RSS: first minute after warm-up %ld KiB, last minute %ld KiB (%+ld KiB, allowed "
                "+%ld): %s\n",
                first.rssKiB, lastMinute.rssKiB, lastMinute.rssKiB - first.rssKiB, rssAllowance,
                rssFlat ? "flat" : "GROWS");
    std::printf("descriptors: %d then %d (allowed +-2): %s\n", first.fds, lastMinute.fds,
                fdsFlat ? "flat" : "GROW");
    std::printf("verdict: %s\n", rssFlat && fdsFlat ? "flat" : "NOT FLAT");
    return rssFlat && fdsFlat ? 0 : 1;
}
