// SPDX-License-Identifier: GPL-3.0-or-later
// Lab server processes (`sockscope __lab-server`) against the real kernel:
// start, accept, kill without zombies, SO_REUSEPORT sharing (S3) and the
// accept-error policies under a low RLIMIT_NOFILE (S2).
#include "lab/lab.h"
#include "labtesting.h"
#include "netns.h"
#include "owners/ownerresolver.h"

#include <cerrno>
#include <csignal>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSet>
#include <QTest>
#include <sys/wait.h>

using namespace sockscope;
using namespace sockscope::test;

Q_DECLARE_METATYPE(sockscope::AcceptErrorPolicy)

namespace {
ServerSpec loopbackServer(std::uint16_t port = 0)
{
    ServerSpec spec;
    spec.local = loopbackEndpoint(Family::IPv4, port);
    return spec;
}

// The pid owning the LISTEN row(s) on `port`, as /proc says.
QSet<int> listenOwners(std::uint16_t port)
{
    const std::vector<SocketRecord> rows = socketsIn(port, TcpState::Listen, port);
    OwnerResolver resolver;
    resolver.refresh(rows);
    QSet<int> pids;
    for (const SocketRecord &row : rows) {
        for (const OwnerProcess &owner : resolver.lookup(row).owners)
            pids.insert(owner.pid);
    }
    return pids;
}

bool reaped(int pid)
{
    // Reaped and gone: not our child any more (ECHILD) and no such process.
    return ::waitpid(pid, nullptr, WNOHANG) == -1 && errno == ECHILD && ::kill(pid, 0) == -1 &&
           errno == ESRCH;
}
} // namespace

class TestLabServers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { SOCKSCOPE_REQUIRE_NETNS(); }
    void cleanupTestCase()
    {
        // Every Lab is gone: no child of ours is left, running or zombie.
        QCOMPARE(::waitpid(-1, nullptr, WNOHANG), -1);
        QCOMPARE(errno, ECHILD);
    }

    void startAcceptKill_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<int>("exitStatus");
        QTest::newRow("SIGKILL") << int(SIGKILL) << 128 + SIGKILL;
        QTest::newRow("SIGTERM") << int(SIGTERM) << 128 + SIGTERM;
    }
    void startAcceptKill()
    {
        QFETCH(int, signal);
        QFETCH(int, exitStatus);
        Lab lab(QStringLiteral(SOCKSCOPE_BINARY));
        const auto server = lab.startServer(loopbackServer());
        QVERIFY2(server.ok(), qPrintable(server.ok() ? QString() : server.error().message));
        QCOMPARE(server->id, QStringLiteral("P1"));
        QVERIFY(server->running);
        const std::uint16_t port = server->bound.port;
        QVERIFY(port != 0);
        QCOMPARE(listenOwners(port), QSet<int>{server->pid});

        QVERIFY(lab.connect(loopbackClient(Family::IPv4, port, ClosePolicy::Keep, 3)).ok());
        QVERIFY(waitUntil([&] { return lab.serverStatus(server->id)->accepts == 3; }));
        QCOMPARE(lab.serverStatus(server->id)->openConnections, 3);
        QVERIFY(lab.serverStatus(server->id)->openDescriptors >= 3 + 3);

        const auto killed = lab.killServer(server->id, signal);
        QVERIFY(killed.ok());
        QVERIFY(!killed->running);
        QCOMPARE(killed->exitStatus, exitStatus);
        QVERIFY(reaped(server->pid));
        QVERIFY(!listenRow(port));
        // The kernel closed its connections actively: the server side is in TIME_WAIT (S5).
        QVERIFY(waitForState(port, TcpState::TimeWait, port));
        QCOMPARE(lab.killServer(server->id, SIGKILL).error().errnum, EINVAL);
    }

    // A lab event's listener that reads the servers' status while a kill
    // waits (the window counts open objects at each event) reaps the server
    // first: the kill still answers at once, and signals no pid again.
    void killAnswersWhenAListenerReapedFirst()
    {
        Lab lab(QStringLiteral(SOCKSCOPE_BINARY));
        const auto server = lab.startServer(loopbackServer());
        QVERIFY(server.ok());
        const int pid = server->pid;
        QObject receiver;
        QObject::connect(
            &lab, &Lab::labEvent, &receiver,
            [&](const LabEvent &event) {
                if (!event.text.startsWith(QLatin1String("sent SIGTERM")))
                    return;
                siginfo_t info{};
                ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT); // a zombie now
                QVERIFY(!lab.servers().constFirst().running);
            },
            Qt::DirectConnection);
        QElapsedTimer took;
        took.start();
        const auto killed = lab.killServer(server->id, SIGTERM);
        QVERIFY2(killed.ok(), qPrintable(killed.ok() ? QString() : killed.error().message));
        QVERIFY(!killed->running);
        QCOMPARE(killed->exitStatus, 128 + SIGTERM);
        QVERIFY2(took.elapsed() < 1000, qPrintable(QString::number(took.elapsed())));
        QVERIFY(reaped(pid));
    }

    void bindFailureIsExplained()
    {
        Lab lab(QStringLiteral(SOCKSCOPE_BINARY));
        const auto listener = lab.listen(loopbackListener(Family::IPv4));
        QVERIFY(listener.ok());
        const auto server = lab.startServer(loopbackServer(listener->bound.port));
        QVERIFY(!server.ok());
        QCOMPARE(server.error().errnum, EADDRINUSE);
        const ServerStatus status = lab.servers().constFirst();
        QVERIFY(!status.running);
        QCOMPARE(status.exitStatus, 1);
        QVERIFY(reaped(status.pid));
    }

    void reusePortSharesThePort()
    {
        Lab lab(QStringLiteral(SOCKSCOPE_BINARY));
        ServerSpec spec = loopbackServer();
        spec.reusePort = true;
        const auto first = lab.startServer(spec);
        QVERIFY(first.ok());
        spec.local.port = first->bound.port;
        const auto second = lab.startServer(spec);
        QVERIFY2(second.ok(), qPrintable(second.ok() ? QString() : second.error().message));
        const std::uint16_t port = first->bound.port;
        // S3: two LISTEN rows on one port, two owners.
        QCOMPARE(socketsIn(port, TcpState::Listen, port).size(), std::size_t(2));
        QCOMPARE(listenOwners(port), (QSet<int>{first->pid, second->pid}));
        // A third socket with only SO_REUSEADDR still fails, so does one without options.
        ListenerSpec third =
            loopbackListener(Family::IPv4, AcceptMode::Auto, AcceptLoop::EventLoop, port);
        third.reuseAddr = true;
        QCOMPARE(lab.listen(third).error().errnum, EADDRINUSE);
        spec.reusePort = false;
        QCOMPARE(lab.startServer(spec).error().errnum, EADDRINUSE);

        // The kernel spreads new connections over both (hash of the 4-tuple).
        QVERIFY(lab.connect(loopbackClient(Family::IPv4, port, ClosePolicy::Keep, 20)).ok());
        QVERIFY(waitUntil([&] {
            return lab.serverStatus(first->id)->accepts + lab.serverStatus(second->id)->accepts ==
                   20;
        }));
        QVERIFY(lab.serverStatus(first->id)->accepts > 0);
        QVERIFY(lab.serverStatus(second->id)->accepts > 0);
    }

    void acceptErrorPolicies_data()
    {
        QTest::addColumn<AcceptErrorPolicy>("policy");
        QTest::newRow("backoff") << AcceptErrorPolicy::Backoff;
        QTest::newRow("spin") << AcceptErrorPolicy::Spin;
        QTest::newRow("cap 5") << AcceptErrorPolicy::Cap;
    }
    void acceptErrorPolicies()
    {
        QFETCH(AcceptErrorPolicy, policy);
        Lab lab(QStringLiteral(SOCKSCOPE_BINARY));
        ServerSpec spec = loopbackServer();
        spec.nofile = 16;
        spec.policy = policy;
        spec.cap = 5;
        const auto server = lab.startServer(spec);
        QVERIFY(server.ok());
        const std::uint16_t port = server->bound.port;
        const int connections = 20;
        const auto clients =
            lab.connect(loopbackClient(Family::IPv4, port, ClosePolicy::Keep, connections));
        QVERIFY(clients.ok());
        // The handshakes complete in the kernel whatever the server does.
        for (const ClientStatus &client : *clients)
            QCOMPARE(client.phase, ClientPhase::Connected);
        const auto status = [&] { return *lab.serverStatus(server->id); };
        if (policy == AcceptErrorPolicy::Cap) {
            QVERIFY(waitUntil([&] { return status().accepts == 5; }));
            QVERIFY(waitUntil([&] { return listenRow(port)->recvQ == connections - 5; }));
            QCOMPARE(status().acceptErrors, 0); // the semaphore: no EMFILE ever
        } else {
            QVERIFY(waitUntil([&] { return status().lastAcceptErrno == QLatin1String("EMFILE"); }));
            QVERIFY(status().acceptErrors > 0);
            // A true count: every slot below its nofile is taken at EMFILE.
            QVERIFY(waitUntil([&] { return status().openDescriptors == 16; }));
            QVERIFY(listenRow(port)->recvQ > 0); // the rest wait in the accept queue
            if (policy == AcceptErrorPolicy::Spin) {
                QVERIFY(waitUntil([&] { return status().spinRetries > 0; }));
            } else {
                // 5 ms doubling to 1 s: a handful of retries in a second, none at once.
                const int errors = status().acceptErrors;
                QTest::qWait(1000);
                QCOMPARE(status().spinRetries, 0);
                QVERIFY2(status().acceptErrors - errors <= 10,
                         qPrintable(QString::number(status().acceptErrors - errors)));
            }
            const ServerStatus seen = status();
            qInfo("EMFILE after %d accepts: %d open connections, %d descriptors, %d errors, %d "
                  "spin retries, Recv-Q %u",
                  seen.accepts, seen.openConnections, seen.openDescriptors, seen.acceptErrors,
                  seen.spinRetries, listenRow(port)->recvQ);
        }
        // Recovery: the clients close, the server closes its side, accepts the rest.
        for (const ClientStatus &client : *clients)
            QVERIFY(lab.closeClient(client.id).ok());
        QVERIFY(waitUntil([&] { return status().accepts == connections; }, 10000));
        QVERIFY(waitUntil([&] { return status().openConnections == 0; }));
        QCOMPARE(listenRow(port)->recvQ, 0u);
        QVERIFY(status().running);
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestLabServers, QCoreApplication)
#include "tst_labservers.moc"
