// SPDX-License-Identifier: GPL-3.0-or-later
// Lab clients against the real kernel: each close policy reaches its states,
// failed connects are outcomes (refused, timed out, the fixed port of S4).
#include "explain/explainer.h"
#include "lab/lab.h"
#include "labtesting.h"
#include "netns.h"

#include <cerrno>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTest>

using namespace sockscope;
using namespace sockscope::test;

Q_DECLARE_METATYPE(sockscope::AcceptMode)
Q_DECLARE_METATYPE(sockscope::ClosePolicy)
Q_DECLARE_METATYPE(sockscope::ClientPhase)
Q_DECLARE_METATYPE(sockscope::TcpState)
Q_DECLARE_METATYPE(sockscope::FailureContext::Operation)

namespace {
// TcpState::Unknown in a column: "no socket of that side remains".
constexpr TcpState kGone = TcpState::Unknown;

bool sideIs(std::uint16_t port, std::uint16_t localPort, std::uint16_t remotePort,
            TcpState expected)
{
    const std::vector<SocketRecord> rows = dumpPort(port);
    for (const SocketRecord &row : rows) {
        if (row.local.port == localPort && row.remote.port == remotePort)
            return row.state == expected;
    }
    return expected == kGone;
}
} // namespace

class TestLabClients : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { SOCKSCOPE_REQUIRE_NETNS(); }

    void closePolicies_data()
    {
        QTest::addColumn<ClosePolicy>("policy");
        QTest::addColumn<int>("delayMs");
        QTest::addColumn<AcceptMode>("server");
        QTest::addColumn<ClientPhase>("phase");
        QTest::addColumn<TcpState>("clientState");
        QTest::addColumn<TcpState>("serverState");
        // The side that closes first ends in TIME_WAIT (or FIN_WAIT2 while the other does not
        // close).
        QTest::newRow("keep, server closes") << ClosePolicy::Keep << 0 << AcceptMode::Close
                                             << ClientPhase::Closed << kGone << TcpState::TimeWait;
        QTest::newRow("close now") << ClosePolicy::Close << 0 << AcceptMode::Auto
                                   << ClientPhase::Closed << TcpState::TimeWait << kGone;
        QTest::newRow("close after 200 ms") << ClosePolicy::Close << 200 << AcceptMode::Auto
                                            << ClientPhase::Closed << TcpState::TimeWait << kGone;
        QTest::newRow("half-close, server holds")
            << ClosePolicy::HalfClose << 0 << AcceptMode::Hold << ClientPhase::HalfClosed
            << TcpState::FinWait2 << TcpState::CloseWait;
        QTest::newRow("half-close, server reads")
            << ClosePolicy::HalfClose << 0 << AcceptMode::Auto << ClientPhase::Closed
            << TcpState::TimeWait << kGone;
        QTest::newRow("reset") << ClosePolicy::Reset << 0 << AcceptMode::Hold << ClientPhase::Reset
                               << kGone << kGone;
        QTest::newRow("never-close")
            << ClosePolicy::NeverClose << 0 << AcceptMode::Close << ClientPhase::PeerClosed
            << TcpState::CloseWait << TcpState::FinWait2;
    }
    void closePolicies()
    {
        QFETCH(ClosePolicy, policy);
        QFETCH(int, delayMs);
        QFETCH(AcceptMode, server);
        QFETCH(ClientPhase, phase);
        QFETCH(TcpState, clientState);
        QFETCH(TcpState, serverState);
        Lab lab({});
        const auto listener = lab.listen(loopbackListener(Family::IPv4, server));
        QVERIFY(listener.ok());
        const std::uint16_t port = listener->bound.port;
        ClientSpec spec = loopbackClient(Family::IPv4, port, policy);
        spec.closeDelayMs = delayMs;
        const auto clients = lab.connect(spec);
        QVERIFY(clients.ok());
        QCOMPARE(clients->size(), 1);
        QCOMPARE(clients->constFirst().phase == ClientPhase::Failed, false);
        const std::uint16_t clientPort = clients->constFirst().local.port;
        QVERIFY(clientPort != 0);
        QVERIFY(waitUntil([&] { return lab.clients().constFirst().phase == phase; }));
        QVERIFY2(waitUntil([&] { return sideIs(port, clientPort, port, clientState); }),
                 qPrintable(tcpStateName(clientState)));
        QVERIFY2(waitUntil([&] { return sideIs(port, port, clientPort, serverState); }),
                 qPrintable(tcpStateName(serverState)));
        if (policy == ClosePolicy::Reset) // RST: no TIME_WAIT on either side
            QVERIFY(socketsIn(port, TcpState::TimeWait, clientPort).empty() &&
                    socketsIn(port, TcpState::TimeWait, port).empty());
        if (policy == ClosePolicy::NeverClose) {
            QTest::qWait(300); // nothing is pending that could close it: it stays
            QVERIFY(sideIs(port, clientPort, port, TcpState::CloseWait));
        }
    }

    void actionsOnOneId()
    {
        Lab lab({});
        const auto listener = lab.listen(loopbackListener(Family::IPv4, AcceptMode::Hold));
        QVERIFY(listener.ok());
        const std::uint16_t port = listener->bound.port;
        const auto clients = lab.connect(loopbackClient(Family::IPv4, port, ClosePolicy::Keep, 3));
        QVERIFY(clients.ok());
        const ClientStatus &first = clients->at(0);
        const ClientStatus &second = clients->at(1);
        const ClientStatus &third = clients->at(2);
        QCOMPARE(lab.shutdownClient(first.id)->phase, ClientPhase::HalfClosed);
        QVERIFY(waitForState(port, TcpState::FinWait2, first.local.port, port));
        QCOMPARE(lab.resetClient(second.id)->phase, ClientPhase::Reset);
        QCOMPARE(lab.closeClient(third.id)->phase, ClientPhase::Closed);
        QVERIFY(waitForState(port, TcpState::FinWait2, third.local.port, port));
        // Done ones answer EINVAL and say why.
        const auto again = lab.closeClient(third.id);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().errnum, EINVAL);
        QVERIFY(again.error().message.contains(QLatin1String("closed")));
        QCOMPARE(lab.resetClient(second.id).error().errnum, EINVAL);
        QCOMPARE(lab.clients().size(), 3);
    }

    void refusedConnectIsAnOutcome()
    {
        Lab lab({});
        const std::uint16_t port = freePort();
        QElapsedTimer timer;
        timer.start();
        const auto clients = lab.connect(loopbackClient(Family::IPv4, port, ClosePolicy::Keep, 3));
        QVERIFY(clients.ok());
        QVERIFY(timer.elapsed() < 1000);
        for (const ClientStatus &client : *clients) {
            QCOMPARE(client.phase, ClientPhase::Failed);
            QVERIFY(client.failure);
            QCOMPARE(client.failure->errnum, ECONNREFUSED);
            QCOMPARE(client.failure->errnoName, QStringLiteral("ECONNREFUSED"));
        }
    }

    void unansweredConnectTimesOut()
    {
        Lab lab({});
        // Backlog 0 and nobody accepting: one connection fills the accept queue,
        // the kernel drops the next SYNs and their connects time out.
        ListenerSpec spec = loopbackListener(Family::IPv4, AcceptMode::Pause);
        spec.backlog = 0;
        const auto listener = lab.listen(spec);
        QVERIFY(listener.ok());
        ClientSpec clientSpec =
            loopbackClient(Family::IPv4, listener->bound.port, ClosePolicy::Keep, 4);
        clientSpec.timeoutMs = 400;
        QElapsedTimer timer;
        timer.start();
        const auto clients = lab.connect(clientSpec);
        QVERIFY(clients.ok());
        QVERIFY(timer.elapsed() < 2000);
        int timedOut = 0;
        for (const ClientStatus &client : *clients) {
            if (client.phase == ClientPhase::Failed && client.failure->errnum == ETIMEDOUT)
                ++timedOut;
        }
        QVERIFY(timedOut >= 1);
    }

    void fixedLocalPortIsHeldByCloseWait_data()
    {
        QTest::addColumn<bool>("firstReuseAddr");
        QTest::addColumn<bool>("secondReuseAddr");
        QTest::addColumn<int>("expectedErrno");
        QTest::addColumn<FailureContext::Operation>("failedAt");
        QTest::newRow("plain") << false << false << EADDRINUSE << FailureContext::Operation::Bind;
        QTest::newRow("reuseaddr on the second only")
            << false << true << EADDRINUSE << FailureContext::Operation::Bind;
        // Both with SO_REUSEADDR may share the port while neither listens; the
        // identical 4-tuple then fails at connect().
        QTest::newRow("reuseaddr on both")
            << true << true << EADDRNOTAVAIL << FailureContext::Operation::Connect;
    }
    void fixedLocalPortIsHeldByCloseWait()
    {
        QFETCH(bool, firstReuseAddr);
        QFETCH(bool, secondReuseAddr);
        QFETCH(int, expectedErrno);
        QFETCH(FailureContext::Operation, failedAt);
        Lab lab({});
        const auto listener = lab.listen(loopbackListener(Family::IPv4, AcceptMode::Close));
        QVERIFY(listener.ok());
        const std::uint16_t port = listener->bound.port;
        ClientSpec spec = loopbackClient(Family::IPv4, port, ClosePolicy::NeverClose);
        spec.local = loopbackEndpoint(Family::IPv4, freePort());
        spec.reuseAddr = firstReuseAddr;
        const auto first = lab.connect(spec);
        QVERIFY(first.ok());
        QCOMPARE(first->constFirst().phase, ClientPhase::Connected);
        QCOMPARE(first->constFirst().local.port, spec.local->port);
        QVERIFY(waitForState(port, TcpState::CloseWait, spec.local->port, port));

        spec.reuseAddr = secondReuseAddr;
        const auto second = lab.connect(spec);
        QVERIFY(second.ok());
        const ClientStatus &failed = second->constFirst();
        QCOMPARE(failed.phase, ClientPhase::Failed);
        QVERIFY(failed.failure);
        QCOMPARE(failed.failure->errnum, expectedErrno);
        QVERIFY2(failed.failure->text().contains(QLatin1String("CLOSE_WAIT")) ||
                     failedAt == FailureContext::Operation::Connect,
                 qPrintable(failed.failure->text()));
        qInfo("%s", qPrintable(failed.failure->text()));
    }

    void manyConnections()
    {
        Lab lab({});
        const auto listener = lab.listen(loopbackListener(Family::IPv6, AcceptMode::Auto));
        QVERIFY(listener.ok());
        const auto clients =
            lab.connect(loopbackClient(Family::IPv6, listener->bound.port, ClosePolicy::Keep, 500));
        QVERIFY(clients.ok());
        QCOMPARE(clients->size(), 500);
        for (const ClientStatus &client : *clients)
            QCOMPARE(client.phase, ClientPhase::Connected);
        // The lab's listener accepts while the lab connects (see SideWatch), so a
        // batch larger than the backlog (128) still completes on both sides.
        QVERIFY(waitUntil([&] { return lab.listeners().constFirst().held == 500; }));
        lab.closeAll();
        QCOMPARE(lab.listeners().constFirst().held, 0);
        for (const ClientStatus &client : lab.clients())
            QCOMPARE(client.phase, ClientPhase::Closed);
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestLabClients, QCoreApplication)
#include "tst_labclients.moc"
