// SPDX-License-Identifier: GPL-3.0-or-later
// How long a full TCP dump takes with DiagClient, with a bare netlink loop that
// only counts messages, and with `ss -tan` / `ss -tanp`, over N loopback
// connections in a private network namespace.
//
//   bench_dump [connections=1000] [runs=7]
//   bench_dump --worker dump|raw      (internal: one dump in a fresh process)
#include "descriptorlimit.h"
#include "loopback.h"
#include "netlink/diagclient.h"
#include "netns.h"
#include "rawdiag.h"
#include "socketholder.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <memory>
#include <netinet/in.h>
#include <QElapsedTimer>
#include <QString>
#include <string>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace sockscope;

namespace {

struct Sample
{
    double ms = 0;
    long maxRssKiB = -1;
};

struct Row
{
    std::string what;
    std::vector<Sample> samples;
    long sockets = -1;
};

long clientDumpCount(DiagClient &client, bool withTcpInfo)
{
    DumpFilter filter;
    filter.withTcpInfo = withTcpInfo;
    auto records = client.dump(filter);
    if (!records) {
        std::fprintf(stderr, "%s\n", qPrintable(records.error().message));
        return -1;
    }
    return static_cast<long>(records->size());
}

std::unique_ptr<DiagClient> openClient()
{
    auto client = DiagClient::open();
    if (!client) {
        std::fprintf(stderr, "%s\n", qPrintable(client.error().message));
        return nullptr;
    }
    return std::move(*client);
}

int runWorker(const char *mode)
{
    long count = -1;
    if (std::strcmp(mode, "raw") == 0)
        count = test::rawDumpCount();
    else if (auto client = openClient())
        count = clientDumpCount(*client, false);
    std::printf("%ld\n", count);
    return count < 0 ? 1 : 0;
}

// Runs a program with its output to /dev/null: wall time and its peak RSS.
// wait4()'s ru_maxrss would report at least this process's RSS (a child's high
// water mark survives exec), so the child is stopped at its exit under ptrace
// and its own VmHWM read then.
Sample runAndMeasure(const std::vector<std::string> &arguments)
{
    std::vector<char *> argv;
    for (const std::string &argument : arguments)
        argv.push_back(const_cast<char *>(argument.c_str()));
    argv.push_back(nullptr);
    QElapsedTimer timer;
    timer.start();
    const pid_t pid = ::fork();
    if (pid < 0)
        return {-1, -1};
    if (pid == 0) {
        ::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
        const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
        ::dup2(null, STDOUT_FILENO);
        ::execvp(argv[0], argv.data());
        _exit(127);
    }
    Sample sample;
    int status = 0;
    while (::waitpid(pid, &status, 0) == pid && WIFSTOPPED(status)) {
        int deliver = 0;
        if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8)))
            sample.maxRssKiB = test::procStatusKiB(pid, "VmHWM");
        else if (WSTOPSIG(status) == SIGTRAP) // the stop after exec
            ::ptrace(PTRACE_SETOPTIONS, pid, nullptr, PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL);
        else
            deliver = WSTOPSIG(status);
        ::ptrace(PTRACE_CONT, pid, nullptr, deliver);
    }
    sample.ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        std::fprintf(stderr, "%s failed (status %#x)\n", argv[0], status);
    return sample;
}

// Lines `ss -tan` prints, without its header: its socket count.
long ssCount()
{
    FILE *pipe = ::popen("ss -tan 2>/dev/null", "r");
    if (!pipe)
        return -1;
    long lines = 0;
    for (int c = 0; (c = std::fgetc(pipe)) != EOF;)
        lines += c == '\n';
    return ::pclose(pipe) == 0 ? lines - 1 : -1;
}

Row measureInProcess(const std::string &what, int runs, const std::function<long()> &dump)
{
    Row row{what, {}, dump()}; // the first run warms caches and is not counted
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        dump();
        row.samples.push_back({static_cast<double>(timer.nsecsElapsed()) / 1e6, -1});
    }
    return row;
}

Row measureProcess(const std::string &what, int runs, const std::vector<std::string> &arguments)
{
    Row row{what, {}, -1};
    runAndMeasure(arguments);
    for (int i = 0; i < runs; ++i)
        row.samples.push_back(runAndMeasure(arguments));
    return row;
}

void printTable(const std::vector<Row> &rows)
{
    std::printf("%-36s %10s %9s %9s %13s %9s\n", "what", "median ms", "min ms", "max ms",
                "peak RSS KiB", "sockets");
    for (const Row &row : rows) {
        std::vector<double> times;
        long rss = -1;
        for (const Sample &sample : row.samples) {
            times.push_back(sample.ms);
            rss = std::max(rss, sample.maxRssKiB);
        }
        std::sort(times.begin(), times.end());
        const double median = times.size() % 2
                                  ? times[times.size() / 2]
                                  : (times[times.size() / 2 - 1] + times[times.size() / 2]) / 2;
        const std::string rssText = rss < 0 ? "-" : std::to_string(rss);
        const std::string socketsText = row.sockets < 0 ? "-" : std::to_string(row.sockets);
        std::printf("%-36s %10.2f %9.2f %9.2f %13s %9s\n", row.what.c_str(), median, times.front(),
                    times.back(), rssText.c_str(), socketsText.c_str());
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 3 && std::strcmp(argv[1], "--worker") == 0)
        return runWorker(argv[2]);
    const int connections = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 7;
    if (connections < 0 || connections > 100'000) {
        std::fprintf(stderr, "usage: %s [connections (0..100000)] [runs]\n", argv[0]);
        return 2;
    }

    QString reason;
    const bool isolated = test::enterPrivateNetwork(&reason);
    if (!isolated)
        std::fprintf(stderr, "running on the host network: %s\n", qPrintable(reason));
    if (!test::raiseDescriptorLimit(static_cast<std::uint64_t>(connections) + 256)) {
        std::fprintf(stderr, "cannot raise RLIMIT_NOFILE to %d\n", connections + 256);
        return 1;
    }

    QElapsedTimer setup;
    setup.start();
    UniqueFd listener = test::listenOn();
    const std::uint16_t port = test::localPort(listener.get());
    // The client ends live in a child, so neither process needs more than N
    // descriptors.
    std::vector<UniqueFd> clientEnds; // filled in the child only
    test::SocketHolder clients([&] {
        clientEnds.reserve(static_cast<std::size_t>(connections));
        for (int i = 0; i < connections; ++i) {
            clientEnds.push_back(test::connectTo(port));
            if (!clientEnds.back().valid())
                return false;
        }
        return true;
    });
    std::vector<UniqueFd> servers;
    servers.reserve(static_cast<std::size_t>(connections));
    for (int i = 0; i < connections; ++i) {
        servers.push_back(test::acceptOne(listener.get(), 5000));
        if (!servers.back().valid()) {
            std::fprintf(stderr, "accepting connection %d failed: %s\n", i, std::strerror(errno));
            return 1;
        }
    }
    if (!clients.waitReady()) {
        std::fprintf(stderr, "the client process could not open its connections\n");
        return 1;
    }
    std::printf("%d loopback connections (%d TCP sockets with the listener), %s, set up in "
                "%lld ms; %d runs each after one warm-up\n",
                connections, 2 * connections + 1,
                isolated ? "private network namespace" : "HOST network", setup.elapsed(), runs);

    const std::string self = "/proc/self/exe";
    // One client for all runs, as the poller keeps one.
    const auto client = openClient();
    if (!client)
        return 1;
    std::vector<Row> rows;
    rows.push_back(measureInProcess("DiagClient::dump (in process)", runs,
                                    [&] { return clientDumpCount(*client, false); }));
    rows.push_back(measureInProcess("DiagClient::dump +tcp_info (in proc)", runs,
                                    [&] { return clientDumpCount(*client, true); }));
    rows.push_back(measureInProcess("raw netlink count (in process)", runs, test::rawDumpCount));
    rows.push_back(
        measureProcess("bench_dump --worker dump (process)", runs, {self, "--worker", "dump"}));
    rows.push_back(
        measureProcess("bench_dump --worker raw (process)", runs, {self, "--worker", "raw"}));
    rows.push_back(measureProcess("ss -tan", runs, {"ss", "-tan"}));
    rows.push_back(measureProcess("ss -tanp", runs, {"ss", "-tanp"}));
    rows[5].sockets = ssCount();
#ifdef SOCKSCOPE_BINARY
    // The user-facing command, owners and formatting included: the figure to
    // hold against `ss -tanp`, which also maps owners.
    rows.push_back(measureProcess("sockscope dump", runs, {SOCKSCOPE_BINARY, "dump"}));
    rows.push_back(
        measureProcess("sockscope dump --json", runs, {SOCKSCOPE_BINARY, "dump", "--json"}));
#endif
    printTable(rows);

    rusage self_usage{};
    ::getrusage(RUSAGE_SELF, &self_usage);
    std::printf("peak RSS of this process (sockets, tables, in-process dumps): %ld KiB\n",
                self_usage.ru_maxrss);
    clients.release();
    return 0;
}
