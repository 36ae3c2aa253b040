// SPDX-License-Identifier: GPL-3.0-or-later
// A RemoteSource in-process, through an sshd this test starts in its own
// network namespace with the build's sockscope on the remote PATH: the
// window's socket model fills from the agent, and a killed connection comes
// back by itself with the same connections and their history.
#include "itemmodels/sockettablemodel.h"
#include "loopback.h"
#include "modelqueries.h"
#include "netns.h"
#include "remote/remotesource.h"
#include "sshdrun.h"
#include "util/monotonic.h"

#include <QFileInfo>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTest>
#include <unistd.h>

using namespace sockscope;
using namespace sockscope::test;

class TestRemoteSource : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        SOCKSCOPE_START_SSHD(m_sshd);
    }

    void modelFillsAndSurvivesAKilledConnection()
    {
        const UniqueFd listener = listenOn();
        const std::uint16_t port = localPort(listener.get());
        const SshTarget target = m_sshd.target();
        RemoteSource source(target);
        source.setIntervalMs(100);
        SocketTableModel model;
        connect(&source, &SocketSource::batchReady, &model, &SocketTableModel::applyBatch);
        QSignalSpy failed(&source, &SocketSource::pollFailed);
        QSignalSpy recovered(&source, &SocketSource::pollRecovered);
        QSignalSpy connected(&source, &RemoteSource::connected);
        source.start();

        QTRY_VERIFY_WITH_TIMEOUT(connectionOn(model, port, TcpState::Listen), 15000);
        QVERIFY2(source.summary().contains(QLatin1String("agent sockscope")),
                 qPrintable(source.summary()));
        const ConnectionView listening = *connectionOn(model, port, TcpState::Listen);
        ConnectedPair pair = connectPair(listener.get(), port);
        QTRY_VERIFY_WITH_TIMEOUT(connectionOn(model, pair.clientPort, TcpState::Established),
                                 10000);
        const std::uint64_t clientId =
            connectionOn(model, pair.clientPort, TcpState::Established)->id;

        const std::int64_t dropMs = monotonicMs();
        QVERIFY(m_sshd.killSessions());
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 10000);
        QCOMPARE(failed.first().first().toString(),
                 QStringLiteral("connection to sockscope-test lost: reconnecting in 1 s"));
        QTRY_VERIFY_WITH_TIMEOUT(!recovered.isEmpty(), 15000);
        QCOMPARE(connected.size(), 2);

        // What happens after the reconnect reaches the same connection.
        pair.server.reset();
        QTRY_VERIFY_WITH_TIMEOUT(connectionOn(model, pair.clientPort, TcpState::CloseWait), 10000);
        const ConnectionView *client = connectionOn(model, pair.clientPort, TcpState::CloseWait);
        QCOMPARE(client->id, clientId);
        // Its history runs from before the drop: ESTABLISHED once, then CLOSE_WAIT.
        QStringList states;
        for (const StateSpan &span : client->history)
            states << tcpStateName(span.state);
        QVERIFY2(states.join(QLatin1Char(' ')).endsWith(QLatin1String("ESTABLISHED CLOSE_WAIT")) &&
                     states.count(QStringLiteral("ESTABLISHED")) == 1,
                 qPrintable(states.join(QLatin1Char(' '))));
        QVERIFY(client->history.first().enteredMs <= dropMs);
        const ConnectionView *still = connectionOn(model, port, TcpState::Listen);
        QVERIFY(still);
        QCOMPARE(still->id, listening.id);
        QCOMPARE(still->firstSeenMs, listening.firstSeenMs);
        source.stop();
    }

    void refusedConnectionIsRetriedWithBackoff()
    {
        std::uint16_t unused = 0;
        {
            const UniqueFd gone = listenOn();
            unused = localPort(gone.get());
        }
        SshTarget target = m_sshd.target();
        target.port = unused;
        RemoteSource source(target);
        QSignalSpy failed(&source, &SocketSource::pollFailed);
        source.start();
        QTRY_VERIFY_WITH_TIMEOUT(failed.size() >= 2, 10000);
        QVERIFY2(failed[0].first().toString().endsWith(QLatin1String("retrying in 1 s")),
                 qPrintable(failed[0].first().toString()));
        QVERIFY2(failed[1].first().toString().endsWith(QLatin1String("retrying in 2 s")),
                 qPrintable(failed[1].first().toString()));
        QVERIFY(failed[0].first().toString().contains(QLatin1String("connection refused")));
        source.stop();
    }

private:
    SshdRun m_sshd;
};

SOCKSCOPE_TEST_MAIN_NETNS(TestRemoteSource, QGuiApplication)
#include "tst_remotesource.moc"
