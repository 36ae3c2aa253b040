// SPDX-License-Identifier: GPL-3.0-or-later
// The poller end to end: real sockets on loopback, the real sock_diag dump,
// batches arriving on the thread that owns the receiver.
#include "loopback.h"
#include "netns.h"
#include "poller/poller.h"

#include <algorithm>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <sys/socket.h>
#include <unistd.h>

using namespace sockscope;
using namespace sockscope::test;

namespace {
// Collects every event of a poller, checking they arrive on the receiver's thread.
struct EventLog
{
    std::vector<SocketEvent> events;
    bool wrongThread = false;
    int batches = 0;
    int answeredAsks = 0; // batches that said they answered pollNow()

    // Batches already queued when a test returns are still delivered; tying
    // the connection to a member drops them with this object.
    QObject receiver;

    void attach(Poller &poller)
    {
        QObject::connect(&poller, &Poller::batchReady, &receiver, [this](const PollBatch &batch) {
            if (QThread::currentThread() != QCoreApplication::instance()->thread())
                wrongThread = true;
            ++batches;
            answeredAsks += batch.stats.asked ? 1 : 0;
            events.insert(events.end(), batch.events.begin(), batch.events.end());
        });
    }

    const SocketEvent *find(EventKind kind, TcpState state, std::uint16_t localPort) const
    {
        for (const SocketEvent &event : events) {
            const TcpState relevant = kind == EventKind::Gone ? event.from : event.to;
            if (event.kind == kind && relevant == state &&
                event.connection.socket.local.port == localPort)
                return &event;
        }
        return nullptr;
    }
};
// A started poller on one port, polling only (tst_tracedpoller covers
// tracing), with its events in `log` (declared last: it goes first).
struct PolledPort
{
    PolledPort(std::uint16_t port, int intervalMs) : poller(onPort(port))
    {
        poller.setTracing(false);
        // The interval as asked (pollingBacksOffWhenAPollCostsTooMuch covers
        // the back-off): these tests follow states a slower poll could miss.
        poller.setMaxPollingShare(1.0);
        log.attach(poller);
        poller.setIntervalMs(intervalMs);
        poller.start();
    }
    static DumpFilter onPort(std::uint16_t port)
    {
        DumpFilter filter;
        filter.port = port;
        return filter;
    }
    Poller poller;
    EventLog log;
};
} // namespace

class TestPoller : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void batchesArriveOnTheReceiversThreadWithOwners()
    {
        UniqueFd listener = listenOn();
        QVERIFY(listener.valid());
        const std::uint16_t port = localPort(listener.get());
        PolledPort polled(port, 20);
        Poller &poller = polled.poller;
        EventLog &log = polled.log;
        QTRY_VERIFY_WITH_TIMEOUT(log.find(EventKind::Appeared, TcpState::Listen, port), 5000);
        const SocketEvent *event = log.find(EventKind::Appeared, TcpState::Listen, port);
        QVERIFY(event->initial);
        QCOMPARE(event->connection.owner.ownership, Ownership::Owned);
        QCOMPARE(event->connection.owner.owners.value(0).pid, int(::getpid()));
        QCOMPARE(event->connection.owner.owners.value(0).fd, listener.get());
        // 20 ms polls: several batches within a second, all on this thread.
        QTRY_VERIFY_WITH_TIMEOUT(log.batches >= 5, 5000);
        QVERIFY(!log.wrongThread);
        poller.stop();
    }

    void intervalIsClamped()
    {
        UniqueFd listener = listenOn();
        // Clamped to 20 ms, not a busy loop or a stopped timer.
        PolledPort polled(localPort(listener.get()), 0);
        Poller &poller = polled.poller;
        EventLog &log = polled.log;
        QTRY_VERIFY_WITH_TIMEOUT(log.batches >= 3, 3000);
        QCOMPARE(log.answeredAsks, 0);
        poller.setPaused(true);
        // A paused poller still answers pollNow(), after any timed poll that
        // was under way: then nothing more comes.
        poller.pollNow();
        QTRY_COMPARE_WITH_TIMEOUT(log.answeredAsks, 1, 3000);
        const int paused = log.batches;
        QTest::qWait(300);
        QCOMPARE(log.batches, paused);
        poller.setPaused(false);
        QTRY_VERIFY_WITH_TIMEOUT(log.batches > paused, 3000);
    }

    // Polling on its own never takes more than its share of a core: a poll
    // costing more than share x interval stretches the interval, and the
    // batches say so (the window's status bar shows it).
    void pollingBacksOffWhenAPollCostsTooMuch()
    {
        UniqueFd listener = listenOn();
        QVERIFY(listener.valid());
        Poller poller(PolledPort::onPort(localPort(listener.get())));
        poller.setTracing(false);
        // Any poll costs more than 0.1 % of 20 ms (20 us) of CPU; the
        // interval becomes 1,000 x the poll's CPU.
        poller.setMaxPollingShare(0.001);
        poller.setIntervalMs(20);
        QObject receiver;
        PollStats last;
        QObject::connect(&poller, &Poller::batchReady, &receiver,
                         [&last](const PollBatch &batch) { last = batch.stats; });
        poller.start();
        // The first poll (every owner read, every connection new) is a
        // one-off: the second poll's cost sets the cadence.
        QTRY_VERIFY_WITH_TIMEOUT(last.pollNumber >= 2, 5000);
        QVERIFY(last.backedOff);
        QVERIFY(last.pollCpuUs > 20);
        QVERIFY2(
            qAbs(last.dumpIntervalMs -
                 std::min<std::int64_t>(last.pollCpuUs, Poller::kMaximumIntervalMs)) <= 1,
            qPrintable(
                QStringLiteral("%1 ms for %2 us").arg(last.dumpIntervalMs).arg(last.pollCpuUs)));

        // The default share: a poll of one port is far under 10 % of 250 ms.
        Poller relaxed(PolledPort::onPort(localPort(listener.get())));
        relaxed.setTracing(false);
        PollStats relaxedLast;
        QObject::connect(&relaxed, &Poller::batchReady, &receiver,
                         [&relaxedLast](const PollBatch &batch) { relaxedLast = batch.stats; });
        relaxed.start();
        QTRY_VERIFY_WITH_TIMEOUT(relaxedLast.pollNumber >= 3, 5000);
        // Unless the kernel's table is huge: every dump walks all of it, other
        // namespaces' sockets included (100,000 of them cost a one-port poll
        // about 30 ms). The cadence smooths the cost, hence the margins.
        if (relaxedLast.pollCpuUs < 20'000) {
            QVERIFY(!relaxedLast.backedOff);
            QCOMPARE(relaxedLast.dumpIntervalMs, Poller::kDefaultIntervalMs);
        } else if (relaxedLast.pollCpuUs > 30'000) {
            QVERIFY(relaxedLast.backedOff);
            qWarning("a one-port poll cost %lld us here: the kernel's table is large",
                     static_cast<long long>(relaxedLast.pollCpuUs));
        }
        relaxed.stop();
        poller.stop();
    }

    // One connection, followed across the kernel's switch to a timewait socket:
    // ESTABLISHED -> FIN_WAIT2 -> TIME_WAIT -> gone, in this order, one id.
    void connectionEventsInOrder()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        constexpr std::uint16_t clientPort = 10001;
        UniqueFd listener = listenOn(false, 9000, true);
        QVERIFY(listener.valid());
        PolledPort polled(clientPort, 20);
        Poller &poller = polled.poller;
        EventLog &log = polled.log;
        QTRY_VERIFY_WITH_TIMEOUT(log.batches >= 1, 3000);

        UniqueFd client = connectTo(9000, false, clientPort, true);
        QVERIFY(client.valid());
        UniqueFd server = acceptOne(listener.get());
        QVERIFY(server.valid());
        QTRY_VERIFY_WITH_TIMEOUT(log.find(EventKind::Appeared, TcpState::Established, clientPort),
                                 3000);
        const std::uint64_t id =
            log.find(EventKind::Appeared, TcpState::Established, clientPort)->connection.id;

        client.reset(); // active close: FIN_WAIT2 until the server closes
        QTRY_VERIFY_WITH_TIMEOUT(log.find(EventKind::StateChanged, TcpState::FinWait2, clientPort),
                                 3000);
        server.reset();
        QTRY_VERIFY_WITH_TIMEOUT(log.find(EventKind::StateChanged, TcpState::TimeWait, clientPort),
                                 3000);

        // End TIME_WAIT early: a new connection from the same port takes over
        // the timewait socket (tcp_tw_reuse, loopback), once a second has passed.
        UniqueFd again;
        QElapsedTimer deadline;
        deadline.start();
        while (!again.valid() && deadline.elapsed() < 5000) {
            again = connectTo(9000, false, clientPort, true);
            if (!again.valid())
                QTest::qWait(100);
        }
        QVERIFY2(again.valid(), "reconnecting from the TIME_WAIT port never succeeded");
        QTRY_VERIFY_WITH_TIMEOUT(log.find(EventKind::Gone, TcpState::TimeWait, clientPort), 3000);

        QList<QString> path;
        for (const SocketEvent &event : log.events) {
            if (event.connection.id != id || event.to == TcpState::FinWait1)
                continue;
            path << (event.kind == EventKind::Gone ? QStringLiteral("gone")
                                                   : tcpStateName(event.to));
        }
        QCOMPARE(path, (QList<QString>{QStringLiteral("ESTABLISHED"), QStringLiteral("FIN_WAIT2"),
                                       QStringLiteral("TIME_WAIT"), QStringLiteral("gone")}));
        const SocketEvent *gone = log.find(EventKind::Gone, TcpState::TimeWait, clientPort);
        QCOMPARE(gone->connection.id, id);
        QVERIFY(gone->connection.history.size() >= 3);
        poller.stop();
    }

    // A connection that lives and dies between two polls is only seen by the
    // kernel's destroy notice (any user may join the groups on Linux 6.x).
    void destroyNoticesCatchShortConnections()
    {
        // The host's namespace has other sockets dying at any time, and its polls
        // scan every process: the timing this test needs wants isolation.
        SOCKSCOPE_REQUIRE_NETNS();
        UniqueFd listener = listenOn();
        const std::uint16_t port = localPort(listener.get());
        PolledPort polled(port, 60000);
        Poller &poller = polled.poller;
        EventLog &log = polled.log;
        QTRY_VERIFY_WITH_TIMEOUT(log.batches >= 1, 3000);
        {
            UniqueFd client = connectTo(port);
            QVERIFY(client.valid());
            UniqueFd server = acceptOne(listener.get());
            const linger abort{1, 0}; // reset: no TIME_WAIT, the socket dies now
            ::setsockopt(client.get(), SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
        }
        // Only the notice saw it; the next poll settles it as appeared-and-gone.
        const auto seenByNotice = [&] {
            poller.pollNow();
            return std::count_if(log.events.begin(), log.events.end(), [](const SocketEvent &e) {
                       return e.source == EventSource::Destroy;
                   }) >= 2;
        };
        QTRY_VERIFY_WITH_TIMEOUT(seenByNotice(), 8000);
        // Only sockets of our port: the notices are filtered like the dump.
        for (const SocketEvent &event : log.events)
            QVERIFY(touchesPort(event.connection.socket, port));
        poller.stop();
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestPoller, QCoreApplication)
#include "tst_poller.moc"
