// SPDX-License-Identifier: GPL-3.0-or-later
// A lab listener's accepted connections against the real kernel: closing the
// listener leaves them open (as in any real server), each is closed on its
// own, and the connections still in the accept queue are reset by the kernel.
#include "lab/lab.h"
#include "labtesting.h"
#include "netns.h"

#include <QCoreApplication>
#include <QTest>

using namespace sockscope;
using namespace sockscope::test;

Q_DECLARE_METATYPE(sockscope::AcceptLoop)
Q_DECLARE_METATYPE(sockscope::StopMode)

namespace {
// A naive close of a thread's listener leaves it orphaned (S1, tst_lab): not
// a close of the listening socket, so not among these rows.
void addLoopAndStopRows()
{
    QTest::addColumn<AcceptLoop>("loop");
    QTest::addColumn<StopMode>("mode");
    QTest::newRow("event-loop naive") << AcceptLoop::EventLoop << StopMode::Naive;
    QTest::newRow("event-loop graceful") << AcceptLoop::EventLoop << StopMode::Graceful;
    QTest::newRow("thread graceful") << AcceptLoop::Thread << StopMode::Graceful;
}
} // namespace

class TestLabAccepted : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { SOCKSCOPE_REQUIRE_NETNS(); }

    void closingTheListenerLeavesAcceptedConnections_data() { addLoopAndStopRows(); }
    void closingTheListenerLeavesAcceptedConnections()
    {
        QFETCH(AcceptLoop, loop);
        QFETCH(StopMode, mode);
        Lab lab({});
        const auto listener = lab.listen(loopbackListener(Family::IPv4, AcceptMode::Auto, loop));
        QVERIFY(listener.ok());
        const std::uint16_t port = listener->bound.port;
        QVERIFY(lab.connect(loopbackClient(Family::IPv4, port, ClosePolicy::Keep, 2)).ok());
        QVERIFY(waitUntil([&] { return lab.listeners().constFirst().held == 2; }));

        const auto closed = lab.closeListener(QStringLiteral("L1"), mode);
        QVERIFY(closed.ok());
        QVERIFY(!closed->open);
        QCOMPARE(closed->queuedReset, 0);
        QCOMPARE(closed->connections.size(), 2);
        QCOMPARE(closed->connections.at(0).id, QStringLiteral("L1.1"));
        QCOMPARE(closed->connections.at(1).id, QStringLiteral("L1.2"));
        for (const ClientStatus &connection : closed->connections) {
            QCOMPARE(connection.phase, ClientPhase::Connected);
            QCOMPARE(connection.listener, QStringLiteral("L1"));
        }
        // What the kernel shows: no LISTEN row, both server sides still ESTABLISHED.
        QVERIFY(waitUntil([&] { return !listenRow(port); }));
        QCOMPARE(socketsIn(port, TcpState::Established, port).size(), std::size_t(2));

        // Each one closes on its own: the server side closes first, so it
        // ends in TIME_WAIT (the keep client closes on the FIN); a reset leaves none.
        const std::uint16_t firstPeer = closed->connections.at(0).remote.port;
        const auto first = lab.closeClient(QStringLiteral("L1.1"));
        QVERIFY(first.ok());
        QCOMPARE(first->phase, ClientPhase::Closed);
        QVERIFY(waitForState(port, TcpState::TimeWait, port, firstPeer));
        QCOMPARE(socketsIn(port, TcpState::Established, port).size(), std::size_t(1));
        const auto second = lab.resetClient(QStringLiteral("L1.2"));
        QVERIFY(second.ok());
        QCOMPARE(second->phase, ClientPhase::Reset);
        QVERIFY(waitUntil([&] { return socketsIn(port, TcpState::Established, port).empty(); }));
        QCOMPARE(socketsIn(port, TcpState::TimeWait, port).size(), std::size_t(1));
        QCOMPARE(lab.listeners().constFirst().held, 0);
        // Closed is closed: a second close is refused.
        QVERIFY(!lab.closeClient(QStringLiteral("L1.1")).ok());
    }

    void halfCloseOfAnAcceptedConnection()
    {
        Lab lab({});
        const auto listener = lab.listen(loopbackListener(Family::IPv4, AcceptMode::Hold));
        QVERIFY(listener.ok());
        const std::uint16_t port = listener->bound.port;
        const auto clients =
            lab.connect(loopbackClient(Family::IPv4, port, ClosePolicy::NeverClose));
        QVERIFY(clients.ok());
        QVERIFY(waitUntil([&] { return lab.listeners().constFirst().held == 1; }));
        const auto half = lab.shutdownClient(QStringLiteral("L1.1"));
        QVERIFY(half.ok());
        QCOMPARE(half->phase, ClientPhase::HalfClosed);
        // Our FIN went out: the server side waits in FIN_WAIT2, the client in CLOSE_WAIT.
        QVERIFY(waitForState(port, TcpState::FinWait2, port));
        QVERIFY(waitForState(port, TcpState::CloseWait, clients->constFirst().local.port));
    }

    void queuedConnectionsAreResetAndCounted_data() { addLoopAndStopRows(); }
    void queuedConnectionsAreResetAndCounted()
    {
        QFETCH(AcceptLoop, loop);
        QFETCH(StopMode, mode);
        Lab lab({});
        const auto listener = lab.listen(loopbackListener(Family::IPv4, AcceptMode::Pause, loop));
        QVERIFY(listener.ok());
        const std::uint16_t port = listener->bound.port;
        const auto clients = lab.connect(loopbackClient(Family::IPv4, port, ClosePolicy::Keep, 3));
        QVERIFY(clients.ok());
        QVERIFY(waitUntil([&] { return listenRow(port) && listenRow(port)->recvQ == 3; }));

        const auto closed = lab.closeListener(QStringLiteral("L1"), mode);
        QVERIFY(closed.ok());
        QCOMPARE(closed->queuedReset, 3);
        QVERIFY(closed->connections.isEmpty());
        // The clients learn it from the kernel's RST.
        QVERIFY(waitUntil([&] {
            const auto now = lab.clients();
            return std::all_of(now.begin(), now.end(),
                               [](const ClientStatus &c) { return c.phase == ClientPhase::Reset; });
        }));
        QVERIFY(dumpPort(port).empty());
    }

    void wakingAnOrphanMakesNoConnection()
    {
        Lab lab({});
        const auto listener =
            lab.listen(loopbackListener(Family::IPv4, AcceptMode::Auto, AcceptLoop::Thread));
        QVERIFY(listener.ok());
        const std::uint16_t port = listener->bound.port;
        const auto naive = lab.closeListener(QStringLiteral("L1"), StopMode::Naive);
        QVERIFY(naive.ok());
        QVERIFY(naive->acceptThreadRunning);
        QVERIFY(listenRow(port));

        const auto graceful = lab.closeListener(QStringLiteral("L1"), StopMode::Graceful);
        QVERIFY(graceful.ok());
        QVERIFY(!graceful->acceptThreadRunning);
        // The blocked accept() was interrupted, not fed a connection of the
        // lab's own: nothing was accepted and no socket is left on the port.
        QCOMPARE(graceful->accepted, 0);
        QVERIFY(dumpPort(port).empty());
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestLabAccepted, QCoreApplication)
#include "tst_labaccepted.moc"
