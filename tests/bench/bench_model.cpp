// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark, not a test: what applying one poll costs the tracker (poller
// thread) and the window's models (GUI thread), on synthetic snapshots, and
// what each tracked connection costs in memory.
//
//   bench_model [sockets=10000] [churn-percent=10] [runs=7]
//
// Each run builds a fresh tracker and models, applies a first snapshot of
// `sockets` records (10 listeners, the rest ESTABLISHED connections to them),
// then times the second snapshot: churn/2 % of the connections replaced by new
// ones (gone + appeared), churn/2 % moved to CLOSE_WAIT, and a third,
// identical snapshot (an idle poll). Medians over the runs. Then the filter
// proxy over 100,000 rows: the time to apply a filter text, to clear it, and
// to sort by another column.
#include "events/connectionhistory.h"
#include "events/connectiontracker.h"
#include "itemmodels/eventlogmodel.h"
#include "itemmodels/portsummarymodel.h"
#include "itemmodels/socketfilterproxy.h"
#include "itemmodels/sockettablemodel.h"
#include "loopback.h"
#include "socketholder.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <malloc.h>
#include <QGuiApplication>
#include <unistd.h>
#include <vector>

using namespace sockscope;

namespace {

constexpr int kListeners = 10;
constexpr std::uint16_t kFirstListenPort = 8000;

SocketRecord socket(std::uint64_t cookie, TcpState state, std::uint16_t localPort,
                    std::uint16_t remotePort)
{
    SocketRecord r = test::loopbackRecord(cookie, state, localPort, remotePort,
                                          static_cast<std::uint32_t>(cookie));
    r.uid = 1000;
    return r;
}

std::vector<SocketRecord> population(int sockets)
{
    std::vector<SocketRecord> records;
    records.reserve(static_cast<std::size_t>(sockets));
    for (int i = 0; i < kListeners; ++i)
        records.push_back(socket(static_cast<std::uint64_t>(i + 1), TcpState::Listen,
                                 static_cast<std::uint16_t>(kFirstListenPort + i), 0));
    for (int i = kListeners; i < sockets; ++i) {
        const auto server = static_cast<std::uint16_t>(kFirstListenPort + i % kListeners);
        const auto client = static_cast<std::uint16_t>(32768 + i % 28000);
        records.push_back(
            socket(static_cast<std::uint64_t>(i + 1), TcpState::Established, server, client));
    }
    return records;
}

// churn/2 % replaced by new connections, churn/2 % moved to CLOSE_WAIT.
std::vector<SocketRecord> churned(std::vector<SocketRecord> records, int churnPercent)
{
    const int step = std::max(1, 200 / std::max(1, churnPercent));
    std::uint64_t nextCookie = records.size() + 1000000;
    for (std::size_t i = kListeners; i < records.size(); i += static_cast<std::size_t>(step)) {
        records[i].cookie = nextCookie++;
        records[i].remote.port = static_cast<std::uint16_t>(records[i].remote.port + 1);
        if (i + 1 < records.size())
            records[i + 1].state = TcpState::CloseWait;
    }
    return records;
}

OwnerLookup ownerOf(const SocketRecord &)
{
    // One command text shared by every row, as the resolver's cache does.
    static const OwnerLookup owner{Ownership::Owned,
                                   {OwnerProcess{4242, 7,
                                                 QStringLiteral("/usr/sbin/nginx "
                                                                "-g daemon off;")}}};
    return owner;
}

PollBatch batchOf(ConnectionTracker::Diff diff, std::int64_t timeMs, bool initial)
{
    PollBatch batch;
    batch.timeMs = timeMs;
    batch.initial = initial;
    batch.events = std::move(diff.events);
    batch.updated = std::move(diff.updated);
    batch.stats.totalUs = 1;
    return batch;
}

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// The window's models, wired as MainWindow wires them.
struct Models
{
    SocketTableModel table;
    SocketFilterProxy proxy;
    PortSummaryModel ports;
    EventLogModel events{20000};
    ConnectionHistory history; // the window's copy of what happened
    Models()
    {
        proxy.setSourceModel(&table);
        proxy.sort(SocketTableModel::StateColumn, Qt::DescendingOrder);
    }
};

struct Timings
{
    std::vector<double> tracker, table, ports, events, history, idleTracker, idleModels;
    std::size_t changedEvents = 0, changedUpdated = 0, idleEvents = 0, idleUpdated = 0;
};

void run(const std::vector<SocketRecord> &first, const std::vector<SocketRecord> &second,
         Timings &t)
{
    ConnectionTracker tracker;
    Models models;
    const ConnectionTracker::OwnerFunction owners = ownerOf;
    PollBatch initial = batchOf(tracker.apply(first, 1000, owners), 1000, true);
    models.table.applyBatch(initial);
    models.ports.applyBatch(initial);
    models.events.applyBatch(initial);
    models.history.apply(initial.events, initial.updated);

    const auto timed = [](std::vector<double> &into, const auto &work) {
        const auto start = std::chrono::steady_clock::now();
        work();
        into.push_back(msSince(start));
    };
    ConnectionTracker::Diff diff;
    timed(t.tracker, [&] { diff = tracker.apply(second, 1250, owners); });
    const PollBatch batch = batchOf(std::move(diff), 1250, false);
    t.changedEvents = batch.events.size();
    t.changedUpdated = batch.updated.size();
    timed(t.table, [&] { models.table.applyBatch(batch); });
    timed(t.ports, [&] { models.ports.applyBatch(batch); });
    timed(t.events, [&] { models.events.applyBatch(batch); });
    timed(t.history, [&] { models.history.apply(batch.events, batch.updated); });

    ConnectionTracker::Diff idle;
    timed(t.idleTracker, [&] { idle = tracker.apply(second, 1500, owners); });
    const PollBatch idleBatch = batchOf(std::move(idle), 1500, false);
    t.idleEvents = idleBatch.events.size();
    t.idleUpdated = idleBatch.updated.size();
    timed(t.idleModels, [&] {
        models.table.applyBatch(idleBatch);
        models.ports.applyBatch(idleBatch);
        models.events.applyBatch(idleBatch);
        models.history.apply(idleBatch.events, idleBatch.updated);
    });
}

struct FilterTimings
{
    std::vector<double> narrow, word, clear, sort, tick;
    int narrowRows = 0, wordRows = 0;
};

// Filter and sort over `rows` rows, sorted by state as the window starts.
FilterTimings filterTimings(int rows, int runs)
{
    FilterTimings t;
    ConnectionTracker tracker;
    Models models;
    models.table.applyBatch(batchOf(tracker.apply(population(rows), 1000, ownerOf), 1000, true));
    for (int i = 0; i < runs; ++i) {
        auto start = std::chrono::steady_clock::now();
        // A proxy may rebuild lazily: a view asks for the rows at once.
        models.proxy.setFilterWords(QStringLiteral("established :8003"));
        t.narrowRows = models.proxy.rowCount();
        t.narrow.push_back(msSince(start));
        start = std::chrono::steady_clock::now();
        models.proxy.setFilterWords({});
        models.proxy.rowCount();
        t.clear.push_back(msSince(start));
        start = std::chrono::steady_clock::now();
        models.proxy.setFilterWords(QStringLiteral("nginx"));
        t.wordRows = models.proxy.rowCount();
        t.word.push_back(msSince(start));
        models.proxy.setFilterWords({});
        models.proxy.rowCount();
        start = std::chrono::steady_clock::now();
        models.proxy.sort(i % 2 ? SocketTableModel::StateColumn : SocketTableModel::RemoteColumn,
                          Qt::DescendingOrder);
        models.proxy.rowCount();
        t.sort.push_back(msSince(start));
        // The window's clock (every 500 ms): time in state and countdowns move.
        start = std::chrono::steady_clock::now();
        models.table.tick(1000 + 500 * (i + 1));
        t.tick.push_back(msSince(start));
    }
    return t;
}

long rssKiB()
{
    return test::procStatusKiB(::getpid(), "VmRSS");
}

// RSS growth per connection of a tracker and the window's models holding
// `sockets` connections, each with a state change in its history.
double bytesPerConnection(int sockets)
{
    std::vector<SocketRecord> first = population(sockets);
    std::vector<SocketRecord> second = first;
    for (std::size_t i = kListeners; i < second.size(); ++i)
        second[i].state = TcpState::CloseWait;
    ::malloc_trim(0);
    const long before = rssKiB();
    auto *tracker = new ConnectionTracker;
    auto *models = new Models;
    for (const auto *snapshot : {&first, &second}) {
        const bool initial = snapshot == &first;
        PollBatch batch =
            batchOf(tracker->apply(*snapshot, initial ? 1000 : 1250, ownerOf), 1250, initial);
        models->table.applyBatch(batch);
        models->ports.applyBatch(batch);
    }
    ::malloc_trim(0);
    const long after = rssKiB();
    delete models;
    delete tracker;
    return static_cast<double>(after - before) * 1024.0 / sockets;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QGuiApplication app(argc, argv);
    const int sockets = argc > 1 ? std::atoi(argv[1]) : 10000;
    const int churnPercent = argc > 2 ? std::atoi(argv[2]) : 10;
    const int runs = argc > 3 ? std::atoi(argv[3]) : 7;
    if (sockets <= kListeners || churnPercent <= 0 || runs <= 0) {
        std::fprintf(stderr, "usage: bench_model [sockets>10] [churn-percent>0] [runs>0]\n");
        return 2;
    }
    const std::vector<SocketRecord> first = population(sockets);
    const std::vector<SocketRecord> second = churned(first, churnPercent);
    Timings t;
    for (int i = 0; i < runs; ++i)
        run(first, second, t);
    const double table = median(t.table);
    const double ports = median(t.ports);
    const double events = median(t.events);
    const double history = median(t.history);
    std::printf("bench_model: %d sockets, %d %% churn, median of %d runs\n", sockets, churnPercent,
                runs);
    std::printf("  churned poll: %zu events, %zu updated views\n", t.changedEvents,
                t.changedUpdated);
    std::printf("    tracker apply (poller thread)       %8.2f ms\n", median(t.tracker));
    std::printf("    models apply (GUI thread)           %8.2f ms\n", table + ports + events + history);
    std::printf("      sockets table + filter proxy      %8.2f ms\n", table);
    std::printf("      ports summary                     %8.2f ms\n", ports);
    std::printf("      event log                         %8.2f ms\n", events);
    std::printf("      connection history                %8.2f ms\n", history);
    std::printf("  idle poll (nothing changed): %zu events, %zu updated views\n", t.idleEvents,
                t.idleUpdated);
    std::printf("    tracker apply                       %8.2f ms\n", median(t.idleTracker));
    std::printf("    models apply                        %8.2f ms\n", median(t.idleModels));
    const int filterRows = 100000;
    const FilterTimings f = filterTimings(filterRows, std::min(runs, 5));
    std::printf("  filter proxy over %d rows (sorted by state)\n", filterRows);
    std::printf("    filter \"established :8003\" (%d rows) %8.2f ms\n", f.narrowRows,
                median(f.narrow));
    std::printf("    clear the filter                    %8.2f ms\n", median(f.clear));
    std::printf("    filter \"nginx\" (owner, %d rows)  %8.2f ms\n", f.wordRows, median(f.word));
    std::printf("    sort by another column              %8.2f ms\n", median(f.sort));
    std::printf("    clock tick (every 500 ms)           %8.2f ms\n", median(f.tick));
    std::printf("  memory: tracker + models, one state change of history each\n");
    std::printf("    bytes per connection (RSS delta)    %8.0f B\n", bytesPerConnection(sockets));
    return 0;
}
