// SPDX-License-Identifier: GPL-3.0-or-later
// What tracing costs and what it holds, in private network namespaces, loopback only:
//  1. storm: W threads connect/accept/close on loopback as fast as they can for S
//     seconds, first without tracing (the reference rate), then with a TraceSource
//     drained by its own thread (rate, transitions seen vs expected, drops, the
//     drain thread's CPU per transition; `perf stat` as the kernel's count), then
//     through a Poller with tracing on (end-to-end CPU per transition).
//  2. window: N sockets (N/2 idle ESTABLISHED loopback pairs), then the window
//     (offscreen) and `sockscope watch`, each with tracing on and off, idle for
//     the window time: CPU% and RSS, beside `ss -tan` on the same sockets.
// Each part runs in a child process with its own fresh network namespace, so the
// storm's TIME_WAIT sockets never reach the window part.
//
//   bench_trace [seconds=5] [sockets=100000] [workers=2] [window-seconds=20]
//   bench_trace --part storm|poller SECONDS WORKERS      (internal)
//   bench_trace --part window SOCKETS WINDOW-SECONDS     (internal)
#include "descriptorlimit.h"
#include "loopback.h"
#include "netns.h"
#include "poller/poller.h"
#include "poller/traceloss.h"
#include "population.h"
#include "processmeasure.h"
#include "trace/tracesource.h"

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <map>
#include <netinet/in.h>
#include <poll.h>
#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <vector>

using namespace sockscope;
using test::nowNs;
using test::sleepMs;

namespace {

std::int64_t threadCpuNs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

std::int64_t processCpuNs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

bool enterNamespace()
{
    QString reason;
    if (!test::enterPrivateNetwork(&reason)) {
        std::fprintf(stderr, "cannot enter a private network namespace: %s\n", qPrintable(reason));
        return false;
    }
    // Room for 64k ephemeral ports per destination (the namespace's own sysctl).
    if (FILE *range = std::fopen("/proc/sys/net/ipv4/ip_local_port_range", "w")) {
        std::fputs("1024 65535\n", range);
        std::fclose(range);
    }
    return true;
}

std::uint32_t namespaceInode()
{
    struct stat info
    {
    };
    return ::stat("/proc/thread-self/ns/net", &info) == 0 ? static_cast<std::uint32_t>(info.st_ino)
                                                          : 0;
}

// ---------------------------------------------------------------- storm

struct StormWorker
{
    int listener = -1;
    std::uint16_t port = 0;
    long connections = 0;
    long failures = 0;
    std::int64_t cpuNs = 0;
    double pace = 0; // connections per second for this worker; 0: as fast as it can
};

// connect, accept, client close, server close: 10 state changes per connection
// (client CLOSE>SYN_SENT>ESTABLISHED>FIN_WAIT1>FIN_WAIT2>CLOSE, server
// LISTEN>SYN_RECV>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSE).
void stormLoop(StormWorker *worker, const std::atomic<bool> *stop)
{
    const std::int64_t cpuStart = threadCpuNs();
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(worker->port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const std::int64_t start = nowNs();
    while (!stop->load(std::memory_order_relaxed)) {
        if (worker->pace > 0) {
            const auto due =
                start + static_cast<std::int64_t>(static_cast<double>(worker->connections) * 1e9 /
                                                  worker->pace);
            if (const std::int64_t wait = due - nowNs(); wait > 0)
                std::this_thread::sleep_for(std::chrono::nanoseconds(wait));
        }
        const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (client < 0) {
            ++worker->failures;
            continue;
        }
        if (::connect(client, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
            ++worker->failures;
            ::close(client);
            if (errno == EADDRNOTAVAIL)
                sleepMs(1);
            continue;
        }
        const int server = ::accept4(worker->listener, nullptr, nullptr, SOCK_CLOEXEC);
        ::close(client);
        if (server >= 0)
            ::close(server);
        else
            ++worker->failures;
        ++worker->connections;
    }
    worker->cpuNs = threadCpuNs() - cpuStart;
}

struct StormResult
{
    double seconds = 0;
    long connections = 0;
    long failures = 0;
    std::int64_t workersCpuNs = 0;
};

std::vector<StormWorker> makeWorkers(int count)
{
    std::vector<StormWorker> workers(static_cast<std::size_t>(count));
    for (StormWorker &worker : workers) {
        UniqueFd listener = test::listenOn();
        worker.port = test::localPort(listener.get());
        ::listen(listener.get(), 4096);
        worker.listener = listener.release();
    }
    return workers;
}

StormResult runStorm(std::vector<StormWorker> &workers, double seconds, double rate = 0)
{
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (StormWorker &worker : workers) {
        worker.connections = worker.failures = 0;
        worker.pace = rate / static_cast<double>(workers.size());
        threads.emplace_back(stormLoop, &worker, &stop);
    }
    const std::int64_t start = nowNs();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (std::thread &thread : threads)
        thread.join();
    StormResult result;
    result.seconds = static_cast<double>(nowNs() - start) / 1e9;
    for (const StormWorker &worker : workers) {
        result.connections += worker.connections;
        result.failures += worker.failures;
        result.workersCpuNs += worker.cpuNs;
    }
    return result;
}

// `perf stat -e sock:inet_sock_set_state -a` (machine-wide: other namespaces'
// traffic counts too) for `seconds`; -1 when perf is missing or fails.
struct PerfRun
{
    pid_t pid = -1;
    std::string output;
};

PerfRun startPerf(double seconds)
{
    PerfRun run;
    if (::access("/usr/bin/perf", X_OK) != 0)
        return run;
    char path[] = "/tmp/bench_trace_perf.XXXXXX";
    const int fd = ::mkstemp(path);
    if (fd < 0)
        return run;
    ::close(fd);
    run.output = path;
    const std::string duration = std::to_string(seconds);
    run.pid = ::fork();
    if (run.pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        ::execl("/usr/bin/perf", "perf", "stat", "-x,", "-e", "sock:inet_sock_set_state", "-a",
                "-o", path, "--", "sleep", duration.c_str(), static_cast<char *>(nullptr));
        _exit(127);
    }
    return run;
}

long finishPerf(PerfRun &run)
{
    if (run.pid <= 0)
        return -1;
    int status = 0;
    ::waitpid(run.pid, &status, 0);
    long count = -1;
    if (FILE *file = std::fopen(run.output.c_str(), "r")) {
        char line[512];
        while (std::fgets(line, sizeof line, file)) {
            if (std::strstr(line, "inet_sock_set_state") && line[0] >= '0' && line[0] <= '9')
                count = std::atol(line);
        }
        std::fclose(file);
    }
    ::unlink(run.output.c_str());
    return count;
}

struct DrainCounts
{
    long events = 0;
    long stateChanges = 0;
    long timewaitFin = 0; // the probe's FIN_WAIT2->TIME_WAIT, not a tracepoint
    long resets = 0;
    std::int64_t cpuNs = 0;
    std::uint64_t drops = 0;
    int drainCalls = 0;
    struct PerCookie
    {
        std::uint8_t events = 0;
        TcpState last = TcpState::Unknown;
        std::int64_t lastNs = 0;
    };
    std::unordered_map<std::uint64_t, PerCookie> perCookie;
};

void drainLoop(TraceSource *source, DrainCounts *counts, const std::atomic<bool> *stop)
{
    const std::int64_t cpuStart = threadCpuNs();
    counts->perCookie.reserve(1 << 20);
    const auto sink = [counts](const TraceEvent &event) {
        ++counts->events;
        if (event.kind != TraceKind::StateChange) {
            ++counts->resets;
            return;
        }
        if (event.from == TcpState::FinWait2 && event.to == TcpState::TimeWait)
            ++counts->timewaitFin;
        else
            ++counts->stateChanges;
        auto &cookie = counts->perCookie[event.cookie];
        ++cookie.events;
        cookie.last = event.to;
        cookie.lastNs = event.timeNs;
    };
    pollfd waiter{source->fd(), POLLIN, 0};
    while (!stop->load(std::memory_order_relaxed)) {
        const int due = source->msUntilDue();
        ::poll(&waiter, 1, due < 0 ? 50 : std::min(due, 50));
        if (auto drained = source->drain(sink); !drained)
            std::fprintf(stderr, "drain: %s\n", qPrintable(drained.error().message));
        ++counts->drainCalls;
    }
    (void)source->drain(sink);
    source->flush(sink);
    const TraceLosses losses = source->losses();
    counts->drops = losses.bufferFull + losses.skipped;
    counts->cpuNs = threadCpuNs() - cpuStart;
}

void printStormRow(const char *what, const StormResult &storm, const StormResult &reference)
{
    const double rate = static_cast<double>(storm.connections) / storm.seconds;
    const double referenceRate = static_cast<double>(reference.connections) / reference.seconds;
    std::printf("  %-34s %9.0f conn/s (%.2f x reference) %10.0f expected transitions/s; storm CPU "
                "%.2f s = %.0f ns/connection; failures %ld\n",
                what, rate, rate / referenceRate, rate * 10, storm.workersCpuNs / 1e9,
                static_cast<double>(storm.workersCpuNs) / std::max(1L, storm.connections),
                storm.failures);
}

int partStorm(double seconds, int workerCount)
{
    if (!enterNamespace())
        return 1;
    std::vector<StormWorker> workers = makeWorkers(workerCount);
    std::printf("storm: %d worker threads, %.1f s each run, namespace inode %u, %u CPUs online\n",
                workerCount, seconds, namespaceInode(),
                static_cast<unsigned>(::sysconf(_SC_NPROCESSORS_ONLN)));

    // Warm-up, then the reference: the same storm with nothing attached.
    runStorm(workers, std::min(1.0, seconds / 4));
    const StormResult reference = runStorm(workers, seconds);
    printStormRow("reference (no tracing)", reference, reference);

    TraceOptions options;
    options.networkNamespace = namespaceInode();
    auto opened = TraceSource::open(options);
    if (!opened) {
        std::printf("  TraceSource::open failed: %s\n", qPrintable(opened.error().message));
        return 1;
    }
    std::unique_ptr<TraceSource> source = std::move(*opened);
    DrainCounts counts;
    std::atomic<bool> stopDrain{false};
    std::thread drainer(drainLoop, source.get(), &counts, &stopDrain);
    PerfRun perf = startPerf(seconds + 1.5);
    sleepMs(perf.pid > 0 ? 700 : 0); // perf attaches before the storm starts
    const std::int64_t stormStartNs = nowNs();
    const StormResult traced = runStorm(workers, seconds);
    const std::int64_t stormEndNs = nowNs();
    // The last connections' closing segments, and a retransmission after a
    // loopback drop under load (RTO 200 ms+), and the reorder window.
    sleepMs(1000);
    stopDrain = true;
    drainer.join();
    const long perfCount = finishPerf(perf);
    printStormRow("with TraceSource + drain thread", traced, reference);

    std::map<int, long> histogram;
    std::map<std::string, long> incomplete; // cookies with fewer than 5 events: their last state
    for (const auto &[cookie, seen] : counts.perCookie) {
        ++histogram[seen.events];
        if (seen.events < 5) {
            ++incomplete[std::to_string(seen.events) + " events, last " +
                         qPrintable(tcpStateName(seen.last))];
            // When its last event came, from the storm's start and end: a
            // cookie cut short by the storm's end would sit at its end.
            std::printf("    short cookie %llu: last event %.1f ms after the storm's start, "
                        "%.1f ms before its end\n",
                        static_cast<unsigned long long>(cookie),
                        static_cast<double>(seen.lastNs - stormStartNs) / 1e6,
                        static_cast<double>(stormEndNs - seen.lastNs) / 1e6);
        }
    }
    const long expected = traced.connections * 10;
    std::printf(
        "  transitions seen: %ld state changes (%.0f/s) + %ld timewait FIN_WAIT2->TIME_WAIT "
        "(probe %s) + %ld resets; expected %ld (10 x %ld connections): seen/expected %.4f\n",
        counts.stateChanges, counts.stateChanges / traced.seconds, counts.timewaitFin,
        source->seesTimewaitFin() ? "on" : "off", counts.resets, expected, traced.connections,
        static_cast<double>(counts.stateChanges) / std::max(1L, expected));
    std::printf("  events per cookie:");
    for (const auto &[n, cookies] : histogram)
        std::printf(" %d x %ld cookies;", n, cookies);
    std::printf(" %zu cookies (2 per connection expected: %ld)\n", counts.perCookie.size(),
                2 * traced.connections);
    for (const auto &[what, cookies] : incomplete)
        std::printf("    short: %ld cookies with %s\n", cookies, what.c_str());
    if (!source->seesTimewaitFin())
        std::printf("  timewait probe off: %s\n", qPrintable(source->timewaitProbeFailure()));
    if (perfCount >= 0)
        std::printf("  perf stat sock:inet_sock_set_state -a over %.1f s around the storm: %ld "
                    "(machine-wide; trace saw %.4f of it)\n",
                    seconds + 1.5, perfCount,
                    static_cast<double>(counts.stateChanges) / std::max(1L, perfCount));
    else
        std::printf("  perf stat: not available\n");
    std::printf("  drops: %llu   drain thread: %.3f s CPU, %d drains, %.0f ns CPU per event "
                "(decode, reorder sort, and this bench's per-cookie hash map); storm CPU per "
                "transition %.0f ns\n",
                static_cast<unsigned long long>(counts.drops), counts.cpuNs / 1e9,
                counts.drainCalls, static_cast<double>(counts.cpuNs) / std::max(1L, counts.events),
                static_cast<double>(traced.workersCpuNs) / std::max(1L, expected));
    return counts.drops == 0 ? 0 : 3;
}

// Runs the event loop for `ms` (processEvents() with a time does not wait, it would spin).
void pump(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

struct PollerRun
{
    StormResult storm;
    std::uint64_t traceEvents = 0;
    std::uint64_t drops = 0;
    long socketEvents = 0;
    long batches = 0;
    int dumps = 0;
    std::int64_t longestDumpUs = 0;
    int lastSockets = 0;
    std::int64_t cpuNs = 0; // the process minus the storm threads
    bool tracing = false;
    QString notice;
};

// One Poller (tracing on) through one storm at `rate` connections/s (0: flat out).
PollerRun measurePoller(QCoreApplication &app, std::vector<StormWorker> &workers, double seconds,
                        double rate)
{
    PollerRun run;
    Poller poller;
    poller.setTracing(true);
    long batches = 0;
    long events = 0;
    PollStats last;
    QObject::connect(&poller, &Poller::batchReady, &app, [&](const PollBatch &batch) {
        ++batches;
        if (batch.stats.pollNumber != last.pollNumber)
            run.longestDumpUs = std::max(run.longestDumpUs, batch.stats.totalUs);
        events += static_cast<long>(batch.events.size());
        last = batch.stats;
    });
    poller.start();
    // Let the first dump and the trace settle before measuring.
    const auto deadline = nowNs() + 5'000'000'000LL;
    while (last.pollNumber == 0 && nowNs() < deadline)
        pump(50);
    const long eventsBefore = events;
    const long batchesBefore = batches;
    const int pollsBefore = last.pollNumber;
    const std::uint64_t traceBefore = last.traceEvents;
    const std::uint64_t dropsBefore = lostTraceEvents(last);
    run.longestDumpUs = 0;
    const std::int64_t cpuBefore = processCpuNs();
    std::atomic<bool> stormDone{false};
    std::thread storm([&] {
        run.storm = runStorm(workers, seconds, rate);
        stormDone = true;
    });
    while (!stormDone)
        pump(20);
    storm.join();
    pump(1000);
    poller.stop();
    app.processEvents();
    run.cpuNs = processCpuNs() - cpuBefore - run.storm.workersCpuNs;
    run.traceEvents = last.traceEvents - traceBefore;
    run.drops = lostTraceEvents(last) - dropsBefore;
    run.socketEvents = events - eventsBefore;
    run.batches = batches - batchesBefore;
    run.dumps = last.pollNumber - pollsBefore;
    run.lastSockets = last.socketCount;
    run.tracing = last.tracing;
    run.notice = last.traceNotice;
    return run;
}

int partPoller(double seconds, int workerCount, int argc, char **argv)
{
    if (!enterNamespace())
        return 1;
    QCoreApplication app(argc, argv);
    std::vector<StormWorker> workers = makeWorkers(workerCount);
    runStorm(workers, std::min(1.0, seconds / 4));
    std::printf("poller: a Poller (tracing on) through the storm, flat out then paced; "
                "%d worker threads, %.1f s each\n",
                workerCount, seconds);
    std::vector<std::pair<double, PollerRun>> runs;
    for (const double rate : {0.0, 10000.0, 5000.0, 2000.0})
        runs.emplace_back(rate, measurePoller(app, workers, seconds, rate));
    // The reference after the Pollers, so that their first dumps do not meet
    // the reference storm's TIME_WAIT sockets.
    const StormResult reference = runStorm(workers, seconds);
    printStormRow("reference (no tracing)", reference, reference);
    bool anyDrops = false;
    for (const auto &[rate, run] : runs) {
        const std::string what =
            rate > 0 ? "Poller, paced at " + std::to_string(static_cast<int>(rate)) + " conn/s"
                     : std::string("Poller, flat out");
        printStormRow(what.c_str(), run.storm, reference);
        std::printf(
            "    tracing %s; %llu trace events read (expected %ld), %ld SocketEvents in %ld "
            "batches, drops %llu; %d dumps, longest %.1f ms, last %d sockets\n",
            run.tracing ? "on" : qPrintable("OFF: " + run.notice),
            static_cast<unsigned long long>(run.traceEvents), run.storm.connections * 10,
            run.socketEvents, run.batches, static_cast<unsigned long long>(run.drops), run.dumps,
            run.longestDumpUs / 1e3, run.lastSockets);
        std::printf("    CPU outside the storm threads (poller thread, dumps, this receiver): "
                    "%.3f s = %.0f ns per trace event, %.1f%% of one CPU\n",
                    run.cpuNs / 1e9,
                    static_cast<double>(run.cpuNs) / std::max<double>(1, run.traceEvents),
                    100.0 * static_cast<double>(run.cpuNs) / (run.storm.seconds * 1e9 + 1e9));
        anyDrops = anyDrops || run.drops > 0;
    }
    return anyDrops ? 3 : 0;
}

// ---------------------------------------------------------------- window

// Whether `arguments --help` mentions --no-trace.
bool offersNoTrace(const std::vector<std::string> &arguments)
{
    std::string command;
    for (const std::string &argument : arguments)
        command += "'" + argument + "' ";
    command += "--help 2>&1";
    FILE *pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        return false;
    std::string text;
    char buffer[4096];
    while (const size_t length = std::fread(buffer, 1, sizeof buffer, pipe))
        text.append(buffer, length);
    ::pclose(pipe);
    return text.find("--no-trace") != std::string::npos;
}

// `ss -tan` on the same sockets: wall ms and CPU ms (children's rusage).
void measureSs(int runs, double *wallMs, double *cpuMs, long *lines)
{
    std::vector<double> walls;
    std::vector<double> cpus;
    for (int i = 0; i <= runs; ++i) {
        const std::int64_t start = nowNs();
        const pid_t pid = ::fork();
        if (pid == 0) {
            const int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, STDOUT_FILENO);
            ::execlp("ss", "ss", "-tan", static_cast<char *>(nullptr));
            _exit(127);
        }
        int status = 0;
        rusage usage{};
        ::wait4(pid, &status, 0, &usage);
        if (i == 0)
            continue; // warm-up
        walls.push_back(static_cast<double>(nowNs() - start) / 1e6);
        cpus.push_back(static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3);
    }
    std::sort(walls.begin(), walls.end());
    std::sort(cpus.begin(), cpus.end());
    *wallMs = walls[walls.size() / 2];
    *cpuMs = cpus[cpus.size() / 2];
    *lines = -1;
    if (FILE *pipe = ::popen("ss -tan 2>/dev/null", "r")) {
        long count = 0;
        for (int c = 0; (c = std::fgetc(pipe)) != EOF;)
            count += c == '\n';
        if (::pclose(pipe) == 0)
            *lines = count - 1;
    }
}

int partWindow(int sockets, int windowSeconds)
{
    if (!enterNamespace())
        return 1;
    const int pairs = sockets / 2;
    const std::int64_t setupStart = nowNs();
    test::PopulationMix mix;
    mix.establishedPairs = pairs;
    test::Population population(mix);
    if (std::string why; !population.waitReady(&why)) {
        std::fprintf(stderr, "%s\n", why.c_str());
        return 1;
    }
    double ssWall = 0;
    double ssCpu = 0;
    long ssLines = 0;
    measureSs(5, &ssWall, &ssCpu, &ssLines);
    std::printf("window: %d idle ESTABLISHED loopback pairs (%ld TCP "
                "sockets by ss), set up in %.1f s; each program idles %d s after a warm-up of at "
                "least %d s\n",
                pairs, ssLines, static_cast<double>(nowNs() - setupStart) / 1e9, windowSeconds, 8);
    std::printf("  reference: ss -tan: %.1f ms wall, %.1f ms CPU per run (median of 5)\n", ssWall,
                ssCpu);

    char configTemplate[] = "/tmp/bench_trace_config.XXXXXX";
    const std::string configDir = ::mkdtemp(configTemplate) ? configTemplate : "/tmp";
    // BENCH_SOCKSCOPE overrides the binary (e.g. another checkout's build).
    const char *override = std::getenv("BENCH_SOCKSCOPE");
    const std::string binary = override && *override ? override : SOCKSCOPE_BINARY;
    struct Case
    {
        std::string what;
        std::vector<std::string> arguments;
        bool tracing;
    };
    // Tracing off: --no-trace where the command offers it, else by dropping
    // the capabilities tracing needs.
    std::vector<Case> cases;
    for (const bool watch : {false, true}) {
        std::vector<std::string> base{binary};
        if (watch)
            base.push_back("watch");
        const char *name = watch ? "watch" : "window";
        cases.push_back({std::string(name) + ", tracing", base, true});
        if (offersNoTrace(base)) {
            std::vector<std::string> off = base;
            off.push_back("--no-trace");
            cases.push_back({std::string(name) + ", --no-trace", off, true});
        } else {
            cases.push_back(
                {std::string(name) + ", tracing off (no CAP_BPF/SYS_ADMIN)", base, false});
        }
    }
    std::printf("  binary: %s\n", binary.c_str());
    std::printf("  %-44s %6s %9s %15s %9s %9s %8s %16s\n", "program (idle)", "warm s", "CPU %",
                "startup CPU s", "RSS KiB", "HWM KiB", "bpf fds", "CPU % / ss run");
    for (const Case &c : cases) {
        const test::IdleSample idle =
            test::measureIdle(c.arguments, c.tracing, 8000, windowSeconds * 1000, configDir);
        if (!idle.alive) {
            std::printf("  %-44s exited early or unreadable\n", c.what.c_str());
            continue;
        }
        // CPU% of one CPU expressed as "one ss -tan run every X s" for scale.
        std::printf("  %-44s %6d %9.2f %15.2f %9ld %9ld %8d %13.2f/s\n", c.what.c_str(),
                    idle.warmMs / 1000, idle.cpuPercent, idle.startupCpuS, idle.rssKiB, idle.hwmKiB,
                    idle.bpfFds, idle.cpuPercent * 10.0 / std::max(0.01, ssCpu));
    }
    std::printf("  (last column: the program's idle CPU as ss -tan runs per second of the same "
                "cost)\n");
    std::string cleanup = "rm -rf '" + configDir + "'";
    if (configDir != "/tmp")
        (void)!std::system(cleanup.c_str());
    population.release();
    return 0;
}

int runPart(const std::vector<std::string> &arguments)
{
    std::fflush(stdout);
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::vector<char *> argv;
        for (const std::string &argument : arguments)
            argv.push_back(const_cast<char *>(argument.c_str()));
        argv.push_back(nullptr);
        ::execv("/proc/self/exe", argv.data());
        _exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::printf("\n");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

} // namespace

int main(int argc, char **argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    if (argc >= 5 && std::strcmp(argv[1], "--part") == 0) {
        const std::string part = argv[2];
        if (part == "storm")
            return partStorm(std::atof(argv[3]), std::atoi(argv[4]));
        if (part == "poller")
            return partPoller(std::atof(argv[3]), std::atoi(argv[4]), argc, argv);
        if (part == "window")
            return partWindow(std::atoi(argv[3]), std::atoi(argv[4]));
        return 2;
    }
    const double seconds = argc > 1 ? std::atof(argv[1]) : 5;
    const int sockets = argc > 2 ? std::atoi(argv[2]) : 100'000;
    const int workers = argc > 3 ? std::atoi(argv[3]) : 2;
    const int windowSeconds = argc > 4 ? std::atoi(argv[4]) : 20;
    if (seconds <= 0 || seconds > 60 || sockets < 0 || sockets > 200'000 || workers < 1 ||
        workers > 16 || windowSeconds < 1 || windowSeconds > 120) {
        std::fprintf(stderr,
                     "usage: %s [seconds (0..60]] [sockets (0..200000)] [workers (1..16)] "
                     "[window-seconds (1..120)]\n",
                     argv[0]);
        return 2;
    }
    const std::string self = argv[0];
    const std::string secondsText = std::to_string(seconds);
    const std::string workersText = std::to_string(workers);
    int worst = 0;
    worst = std::max(worst, runPart({self, "--part", "storm", secondsText, workersText}));
    worst = std::max(worst, runPart({self, "--part", "poller", secondsText, workersText}));
    if (sockets > 0)
        worst = std::max(worst, runPart({self, "--part", "window", std::to_string(sockets),
                                         std::to_string(windowSeconds)}));
    return worst;
}
