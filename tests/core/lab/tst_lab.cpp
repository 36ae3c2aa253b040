// SPDX-License-Identifier: GPL-3.0-or-later
// Lab listeners against the real kernel: open, close, rebind, accept modes,
// the naive close of S1 and the graceful one of S6, and bad input.
#include "lab/lab.h"
#include "labtesting.h"
#include "netns.h"
#include "owners/ownerresolver.h"

#include <cerrno>
#include <csignal>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <unistd.h>

using namespace sockscope;
using namespace sockscope::test;

Q_DECLARE_METATYPE(sockscope::Family)
Q_DECLARE_METATYPE(sockscope::AcceptLoop)

namespace {
void addFamilyLoopRows()
{
    QTest::addColumn<Family>("family");
    QTest::addColumn<AcceptLoop>("loop");
    QTest::newRow("ipv4 event-loop") << Family::IPv4 << AcceptLoop::EventLoop;
    QTest::newRow("ipv4 thread") << Family::IPv4 << AcceptLoop::Thread;
    QTest::newRow("ipv6 event-loop") << Family::IPv6 << AcceptLoop::EventLoop;
    QTest::newRow("ipv6 thread") << Family::IPv6 << AcceptLoop::Thread;
}

// Whether any descriptor of this process refers to socket `inode`.
bool weHoldInode(std::uint32_t inode)
{
    const QByteArray target = QStringLiteral("socket:[%1]").arg(inode).toLatin1();
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QString &fd : fds.entryList(QDir::NoDotAndDotDot | QDir::System)) {
        char link[64] = {};
        const QByteArray path = QFile::encodeName(fds.filePath(fd));
        const ssize_t length = ::readlink(path.constData(), link, sizeof link - 1);
        if (length > 0 && QByteArray(link, int(length)) == target)
            return true;
    }
    return false;
}

// Orphaned where every process could be read; where some process hides its
// descriptors (a sandbox's pid 1), OwnerResolver honestly says Unknown.
void verifyOrphaned(const SocketRecord &record)
{
    QVERIFY(!weHoldInode(record.inode));
    OwnerResolver resolver;
    resolver.refresh({record});
    const Ownership ownership = resolver.lookup(record).ownership;
    if (resolver.sawEverything())
        QCOMPARE(ownership, Ownership::Orphaned);
    else
        QVERIFY(ownership != Ownership::Owned);
}
} // namespace

class TestLab : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { SOCKSCOPE_REQUIRE_NETNS(); }

    void openCloseRebind_data() { addFamilyLoopRows(); }
    void openCloseRebind()
    {
        QFETCH(Family, family);
        QFETCH(AcceptLoop, loop);
        Lab lab({});
        QSignalSpy events(&lab, &Lab::labEvent);
        const auto opened = lab.listen(loopbackListener(family, AcceptMode::Auto, loop));
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
        QCOMPARE(opened->id, QStringLiteral("L1"));
        QVERIFY(opened->open);
        const std::uint16_t port = opened->bound.port;
        QVERIFY(port != 0); // port 0 asked: the real one is reported
        QCOMPARE(opened->acceptThreadRunning, loop == AcceptLoop::Thread);
        const auto row = listenRow(port);
        QVERIFY(row);
        QCOMPARE(row->family, family);

        const auto closed = lab.closeListener(QStringLiteral("L1"), StopMode::Graceful);
        QVERIFY(closed.ok());
        QVERIFY(!closed->open);
        QVERIFY(!closed->acceptThreadRunning);
        QVERIFY(!listenRow(port));

        const auto rebound = lab.rebind(QStringLiteral("L1"));
        QVERIFY2(rebound.ok(), qPrintable(rebound.ok() ? QString() : rebound.error().message));
        QCOMPARE(rebound->bound.port, port);
        QVERIFY(listenRow(port));
        // Rebinding an open listener closes it gracefully first.
        QVERIFY(lab.rebind(QStringLiteral("L1")).ok());
        QCOMPARE(socketsIn(port, TcpState::Listen, port).size(), std::size_t(1));
        QVERIFY(events.size() >= 4);
        QCOMPARE(events.constLast().at(0).value<LabEvent>().objectId, QStringLiteral("L1"));
    }

    void pauseFillsTheAcceptQueue_data() { addFamilyLoopRows(); }
    void pauseFillsTheAcceptQueue()
    {
        QFETCH(Family, family);
        QFETCH(AcceptLoop, loop);
        Lab lab({});
        const auto listener = lab.listen(loopbackListener(family, AcceptMode::Pause, loop));
        QVERIFY(listener.ok());
        const std::uint16_t port = listener->bound.port;
        const auto clients = lab.connect(loopbackClient(family, port, ClosePolicy::Keep, 3));
        QVERIFY(clients.ok());
        for (const ClientStatus &client : *clients)
            QCOMPARE(client.phase, ClientPhase::Connected); // the kernel completed them
        // Nobody accepts: the LISTEN row's Recv-Q counts the waiting connections.
        QVERIFY(waitUntil([&] { return listenRow(port) && listenRow(port)->recvQ == 3; }));
        QCOMPARE(lab.listeners().constFirst().accepted, 0);

        QVERIFY(lab.setAcceptMode(QStringLiteral("L1"), AcceptMode::Auto).ok());
        QVERIFY(waitUntil([&] { return lab.listeners().constFirst().accepted == 3; }));
        QCOMPARE(listenRow(port)->recvQ, 0u);
        QCOMPARE(lab.listeners().constFirst().held, 3);
    }

    void closeModeLeavesClientInCloseWait_data() { addFamilyLoopRows(); }
    void closeModeLeavesClientInCloseWait()
    {
        QFETCH(Family, family);
        QFETCH(AcceptLoop, loop);
        Lab lab({});
        const auto listener = lab.listen(loopbackListener(family, AcceptMode::Close, loop));
        QVERIFY(listener.ok());
        const std::uint16_t port = listener->bound.port;
        const auto clients = lab.connect(loopbackClient(family, port, ClosePolicy::NeverClose));
        QVERIFY(clients.ok());
        const std::uint16_t clientPort = clients->constFirst().local.port;
        // S4: the server closed at once, the client never does.
        QVERIFY(waitForState(port, TcpState::CloseWait, clientPort, port));
        QVERIFY(waitForState(port, TcpState::FinWait2, port, clientPort));
        QVERIFY(
            waitUntil([&] { return lab.clients().constFirst().phase == ClientPhase::PeerClosed; }));
        QCOMPARE(lab.listeners().constFirst().accepted, 1);
        QCOMPARE(lab.listeners().constFirst().held, 0);
    }

    void holdKeepsConnections_data() { addFamilyLoopRows(); }
    void holdKeepsConnections()
    {
        QFETCH(Family, family);
        QFETCH(AcceptLoop, loop);
        Lab lab({});
        const auto listener = lab.listen(loopbackListener(family, AcceptMode::Hold, loop));
        QVERIFY(listener.ok());
        const std::uint16_t port = listener->bound.port;
        const auto clients = lab.connect(loopbackClient(family, port, ClosePolicy::Keep, 2));
        QVERIFY(clients.ok());
        QVERIFY(waitUntil([&] { return lab.listeners().constFirst().held == 2; }));
        QCOMPARE(socketsIn(port, TcpState::Established, port).size(), std::size_t(2));
        // A held connection is never read: the client's close leaves it in CLOSE_WAIT.
        const std::uint16_t clientPort = clients->constFirst().local.port;
        QVERIFY(lab.closeClient(clients->constFirst().id).ok());
        QVERIFY(waitForState(port, TcpState::CloseWait, port, clientPort));
        QVERIFY(waitForState(port, TcpState::FinWait2, clientPort, port));
        // Closing the listener leaves what it accepted; closing that ends the CLOSE_WAIT.
        QVERIFY(lab.closeListener(QStringLiteral("L1"), StopMode::Graceful).ok());
        QCOMPARE(lab.listeners().constFirst().held, 2);
        QCOMPARE(socketsIn(port, TcpState::CloseWait, port).size(), std::size_t(1));
        QVERIFY(lab.closeClient(QStringLiteral("L1.1")).ok());
        QVERIFY(waitUntil([&] { return socketsIn(port, TcpState::CloseWait, port).empty(); }));
        QCOMPARE(lab.listeners().constFirst().held, 1);
    }

    void naiveCloseOrphansTheListener_data()
    {
        QTest::addColumn<Family>("family");
        QTest::addColumn<bool>("reuseAddr");
        QTest::newRow("ipv4") << Family::IPv4 << false;
        QTest::newRow("ipv4 reuseaddr") << Family::IPv4 << true;
        QTest::newRow("ipv6 reuseaddr") << Family::IPv6 << true;
    }
    void naiveCloseOrphansTheListener()
    {
        QFETCH(Family, family);
        QFETCH(bool, reuseAddr);
        Lab lab({});
        ListenerSpec spec = loopbackListener(family, AcceptMode::Auto, AcceptLoop::Thread);
        spec.reuseAddr = reuseAddr;
        const auto listener = lab.listen(spec);
        QVERIFY(listener.ok());
        const std::uint16_t port = listener->bound.port;
        const std::uint32_t inode = listenRow(port)->inode;

        const auto closed = lab.closeListener(QStringLiteral("L1"), StopMode::Naive);
        QVERIFY(closed.ok());
        QVERIFY(!closed->open);
        QVERIFY(closed->acceptThreadRunning); // still blocked in accept()
        // S1: the socket is still listening, and no process holds it.
        const auto orphan = listenRow(port);
        QVERIFY(orphan);
        QCOMPARE(orphan->inode, inode);
        verifyOrphaned(*orphan);
        if (QTest::currentTestFailed())
            return;

        const auto rebound = lab.rebind(QStringLiteral("L1"));
        QVERIFY(!rebound.ok());
        QCOMPARE(rebound.error().errnum, EADDRINUSE); // even with SO_REUSEADDR
        QVERIFY(rebound.error().message.contains(QLatin1String("EADDRINUSE")));

        // The graceful close of the naively closed listener ends its orphan.
        QVERIFY(lab.closeListener(QStringLiteral("L1"), StopMode::Graceful).ok());
        QVERIFY(!listenRow(port));
        QVERIFY(!lab.listeners().constFirst().acceptThreadRunning);
        QVERIFY(lab.rebind(QStringLiteral("L1")).ok());
    }

    void gracefulCloseAllowsRebind()
    {
        Lab lab({});
        const auto listener =
            lab.listen(loopbackListener(Family::IPv4, AcceptMode::Auto, AcceptLoop::Thread));
        QVERIFY(listener.ok());
        const std::uint16_t port = listener->bound.port;
        const auto closed = lab.closeListener(QStringLiteral("L1"), StopMode::Graceful);
        QVERIFY(closed.ok());
        QVERIFY(!closed->acceptThreadRunning); // joined
        QVERIFY(!listenRow(port));
        const auto rebound = lab.rebind(QStringLiteral("L1"));
        QVERIFY(rebound.ok());
        QVERIFY(rebound->acceptThreadRunning);
        // And the new accept thread accepts.
        QVERIFY(lab.connect(loopbackClient(Family::IPv4, port, ClosePolicy::Keep)).ok());
        QVERIFY(waitUntil([&] { return lab.listeners().constFirst().held == 1; }));
    }

    void destructorEndsOrphanedThreads()
    {
        const int threadsBefore = threadCount();
        std::uint16_t port = 0;
        QElapsedTimer timer;
        {
            Lab lab({});
            const auto listener =
                lab.listen(loopbackListener(Family::IPv4, AcceptMode::Hold, AcceptLoop::Thread));
            QVERIFY(listener.ok());
            port = listener->bound.port;
            QVERIFY(lab.closeListener(QStringLiteral("L1"), StopMode::Naive).ok());
            QVERIFY(listenRow(port));
            timer.start();
        }
        QVERIFY2(timer.elapsed() < 4000, "the destructor must not hang on an orphan");
        QVERIFY(!listenRow(port));
        QVERIFY(waitUntil([&] { return threadCount() == threadsBefore; }));
    }

    void badInputIsEinval_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("expected");
        QTest::newRow("close L9") << "closeListener L9"
                                  << "no listener L9";
        QTest::newRow("rebind X1") << "rebind X1"
                                   << "no listener X1";
        QTest::newRow("accept mode L0") << "setAcceptMode L0"
                                        << "no listener L0";
        QTest::newRow("close C42") << "closeClient C42"
                                   << "no client C42";
        QTest::newRow("reset C") << "resetClient C"
                                 << "no client C";
        QTest::newRow("shutdown empty") << "shutdownClient "
                                        << "no client";
        QTest::newRow("kill P3") << "killServer P3"
                                 << "no server P3";
        QTest::newRow("status P-1") << "serverStatus P-1"
                                    << "no server P-1";
        QTest::newRow("count 0") << "connect 0"
                                 << "count 0";
        QTest::newRow("count 10001") << "connect 10001"
                                     << "count 10001";
        QTest::newRow("count -5") << "connect -5"
                                  << "count -5";
        QTest::newRow("backlog -1") << "listen -1"
                                    << "backlog";
        QTest::newRow("closed listener") << "closeListener L1 twice"
                                         << "already closed";
    }
    void badInputIsEinval()
    {
        QFETCH(QString, action);
        QFETCH(QString, expected);
        Lab lab({});
        const QStringList words = action.split(QLatin1Char(' '));
        const QString id = words.value(1);
        std::optional<Error> error;
        const auto take = [&error](const auto &result) {
            if (!result.ok())
                error = result.error();
        };
        if (words[0] == QLatin1String("closeListener") && words.size() == 3) {
            QVERIFY(lab.listen(loopbackListener(Family::IPv4)).ok());
            QVERIFY(lab.closeListener(id, StopMode::Graceful).ok());
            take(lab.closeListener(id, StopMode::Graceful));
        } else if (words[0] == QLatin1String("closeListener")) {
            take(lab.closeListener(id, StopMode::Naive));
        } else if (words[0] == QLatin1String("rebind")) {
            take(lab.rebind(id));
        } else if (words[0] == QLatin1String("setAcceptMode")) {
            take(lab.setAcceptMode(id, AcceptMode::Hold));
        } else if (words[0] == QLatin1String("closeClient")) {
            take(lab.closeClient(id));
        } else if (words[0] == QLatin1String("resetClient")) {
            take(lab.resetClient(id));
        } else if (words[0] == QLatin1String("shutdownClient")) {
            take(lab.shutdownClient(id));
        } else if (words[0] == QLatin1String("killServer")) {
            take(lab.killServer(id, SIGKILL));
        } else if (words[0] == QLatin1String("serverStatus")) {
            take(lab.serverStatus(id));
        } else if (words[0] == QLatin1String("connect")) {
            take(lab.connect(loopbackClient(Family::IPv4, 9, ClosePolicy::Keep, id.toInt())));
        } else if (words[0] == QLatin1String("listen")) {
            ListenerSpec spec = loopbackListener(Family::IPv4);
            spec.backlog = id.toInt();
            take(lab.listen(spec));
        }
        QVERIFY(error);
        QCOMPARE(error->errnum, EINVAL);
        QVERIFY2(error->message.contains(expected), qPrintable(error->message));
    }

    void idsAreNeverReused()
    {
        Lab lab({});
        QCOMPARE(lab.listen(loopbackListener(Family::IPv4)).value().id, QStringLiteral("L1"));
        QVERIFY(lab.closeListener(QStringLiteral("L1"), StopMode::Graceful).ok());
        // A failed listen takes no id.
        ListenerSpec taken = loopbackListener(Family::IPv4);
        taken.local.port = lab.listen(loopbackListener(Family::IPv4)).value().bound.port;
        QVERIFY(!lab.listen(taken).ok());
        QCOMPARE(lab.listen(loopbackListener(Family::IPv4)).value().id, QStringLiteral("L3"));
        const auto clients =
            lab.connect(loopbackClient(Family::IPv4, taken.local.port, ClosePolicy::Close, 2));
        QCOMPARE(clients->constFirst().id, QStringLiteral("C1"));
        QCOMPARE(clients->constLast().id, QStringLiteral("C2"));
        QCOMPARE(lab.connect(loopbackClient(Family::IPv4, taken.local.port, ClosePolicy::Close))
                     ->constFirst()
                     .id,
                 QStringLiteral("C3"));
        QCOMPARE(lab.listeners().size(), 3);
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestLab, QCoreApplication)
#include "tst_lab.moc"
