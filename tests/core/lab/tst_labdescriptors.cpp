// SPDX-License-Identifier: GPL-3.0-or-later
// The descriptor-leak test: many open/close cycles of each lab object leave
// the process's descriptor (and thread) count where it started, and running
// out of descriptors is an explained failure that leaks nothing either.
#include "lab/lab.h"
#include "labtesting.h"
#include "loopback.h"
#include "netns.h"

#include <cerrno>
#include <csignal>
#include <QCoreApplication>
#include <QTest>
#include <sys/resource.h>

using namespace sockscope;
using namespace sockscope::test;

Q_DECLARE_METATYPE(sockscope::AcceptLoop)

namespace {
constexpr int kCycles = 1000;
// Each server cycle spawns and execs the whole sockscope binary (Qt loaded),
// waits for its "listening" report, kills and reaps it: about 10 ms idle, 2-4
// times that on a loaded CI machine. 1,000 would add 10-40 s for no more
// coverage: every cycle runs the same spawn/pipe/pidfd/kill/waitpid path.
constexpr int kServerCycles = 100;

// Runs the event loop until deleteLater()s and queued calls are done.
void settle()
{
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QCoreApplication::processEvents();
}
} // namespace

class TestLabDescriptors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { SOCKSCOPE_REQUIRE_NETNS(); }

    void listenerCycles_data()
    {
        QTest::addColumn<AcceptLoop>("loop");
        QTest::addColumn<bool>("naiveFirst");
        QTest::newRow("event-loop") << AcceptLoop::EventLoop << false;
        QTest::newRow("thread, graceful") << AcceptLoop::Thread << false;
        // S1 and its fix: the orphaned accept thread is woken by a connect and joined.
        QTest::newRow("thread, naive then graceful") << AcceptLoop::Thread << true;
    }
    void listenerCycles()
    {
        QFETCH(AcceptLoop, loop);
        QFETCH(bool, naiveFirst);
        const int descriptors = openDescriptorCount();
        const int threads = threadCount();
        {
            Lab lab({});
            for (int cycle = 0; cycle < kCycles; ++cycle) {
                const auto opened =
                    lab.listen(loopbackListener(Family::IPv4, AcceptMode::Auto, loop));
                QVERIFY(opened.ok());
                if (naiveFirst)
                    QVERIFY(lab.closeListener(opened->id, StopMode::Naive).ok());
                QVERIFY(lab.closeListener(opened->id, StopMode::Graceful).ok());
            }
            settle();
            QCOMPARE(openDescriptorCount(), descriptors);
            // A joined accept thread leaves /proc/self/task a moment after
            // its join returns (the kernel releases the task after waking the
            // joiner): counted again until it has gone.
            QTRY_COMPARE_WITH_TIMEOUT(threadCount(), threads, 5000);
        }
        QCOMPARE(openDescriptorCount(), descriptors);
    }

    void clientCycles()
    {
        Lab lab({});
        const auto listener = lab.listen(loopbackListener(Family::IPv4, AcceptMode::Auto));
        QVERIFY(listener.ok());
        settle();
        const int descriptors = openDescriptorCount();
        for (int cycle = 0; cycle < kCycles; ++cycle) {
            const auto clients =
                lab.connect(loopbackClient(Family::IPv4, listener->bound.port, ClosePolicy::Keep));
            QVERIFY(clients.ok());
            QCOMPARE(clients->constFirst().phase, ClientPhase::Connected);
            // Half closed (TIME_WAIT, no descriptor), half reset.
            const QString id = clients->constFirst().id;
            QVERIFY((cycle % 2 ? lab.resetClient(id) : lab.closeClient(id)).ok());
            if (cycle % 100 == 0)
                settle(); // the listener notices the resets and closes its side
        }
        QVERIFY(waitUntil([&] { return lab.listeners().constFirst().held == 0; }));
        settle();
        QCOMPARE(openDescriptorCount(), descriptors);
    }

    void serverCycles()
    {
        const int descriptors = openDescriptorCount();
        {
            Lab lab(QStringLiteral(SOCKSCOPE_BINARY));
            for (int cycle = 0; cycle < kServerCycles; ++cycle) {
                ServerSpec spec;
                spec.local = loopbackEndpoint(Family::IPv4, 0);
                const auto server = lab.startServer(spec);
                QVERIFY(server.ok());
                QVERIFY(lab.killServer(server->id, cycle % 2 ? SIGKILL : SIGTERM).ok());
            }
            settle();
            QCOMPARE(openDescriptorCount(), descriptors);
        }
        QCOMPARE(openDescriptorCount(), descriptors);
    }

    void exhaustionIsExplainedAndLeaksNothing()
    {
        const int descriptors = openDescriptorCount();
        Lab lab(QStringLiteral(SOCKSCOPE_BINARY));
        const auto listener = lab.listen(loopbackListener(Family::IPv4, AcceptMode::Auto));
        QVERIFY(listener.ok());
        settle();
        rlimit saved{};
        QVERIFY(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
        // This test process (never the GUI) gets 10 spare descriptors.
        rlimit low = saved;
        low.rlim_cur = static_cast<rlim_t>(openDescriptorCount() + 10);
        QVERIFY(::setrlimit(RLIMIT_NOFILE, &low) == 0);
        const auto clients =
            lab.connect(loopbackClient(Family::IPv4, listener->bound.port, ClosePolicy::Keep, 20));
        int exhausted = 0;
        for (const ClientStatus &client : *clients) {
            if (client.phase == ClientPhase::Failed) {
                QVERIFY(client.failure);
                QCOMPARE(client.failure->errnoName, QStringLiteral("EMFILE"));
                ++exhausted;
            }
        }
        QVERIFY(exhausted > 0);
        const auto more = lab.listen(loopbackListener(Family::IPv4));
        QVERIFY(!more.ok());
        QCOMPARE(more.error().errnum, EMFILE);
        const auto server = lab.startServer(ServerSpec{});
        QVERIFY(!server.ok());
        QCOMPARE(server.error().errnum, EMFILE);
        QVERIFY(::setrlimit(RLIMIT_NOFILE, &saved) == 0);

        lab.closeAll();
        settle();
        QCOMPARE(openDescriptorCount(), descriptors);
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestLabDescriptors, QCoreApplication)
#include "tst_labdescriptors.moc"
