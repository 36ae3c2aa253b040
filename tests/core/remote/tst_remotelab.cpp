// SPDX-License-Identifier: GPL-3.0-or-later
// The remote lab: a RemoteSource asked for it (setLab) sends console lines
// through a real sshd, which this test starts in its own network namespace,
// to the build's `sockscope agent --lab`. The server's kernel answers (the
// listener shows in the batches, a second bind fails with its culprit), the
// lab's objects go with the agent when the connection drops, and a source
// not asked for it, the ss fallback, or a request before the connection are
// refused with what to do.
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

namespace {
std::uint16_t freePort()
{
    const UniqueFd probe = listenOn();
    return localPort(probe.get());
}

// The answer to `request` among the spy's, or nullopt.
std::optional<ConsoleAnswer> answerTo(const QSignalSpy &answers, std::uint64_t request)
{
    for (const QList<QVariant> &arguments : answers) {
        if (arguments.at(0).value<std::uint64_t>() == request)
            return arguments.at(1).value<ConsoleAnswer>();
    }
    return std::nullopt;
}
} // namespace

class TestRemoteLab : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        SOCKSCOPE_START_SSHD(m_sshd);
    }

    void labActsOnTheServer()
    {
        const std::uint16_t port = freePort();
        RemoteSource source(m_sshd.target());
        source.setIntervalMs(100);
        source.setLab(true);
        SocketTableModel model;
        connect(&source, &SocketSource::batchReady, &model, &SocketTableModel::applyBatch);
        QSignalSpy connected(&source, &RemoteSource::connected);
        QSignalSpy answers(&source, &RemoteSource::labAnswered);
        QSignalSpy events(&source, &RemoteSource::labEvent);
        QSignalSpy lost(&source, &RemoteSource::labLost);
        source.start();
        QTRY_VERIFY_WITH_TIMEOUT(!connected.isEmpty(), 15000);

        const QString where = QStringLiteral("127.0.0.1:%1").arg(port);
        source.submitLab(1, QStringLiteral("listen %1").arg(where));
        QTRY_VERIFY_WITH_TIMEOUT(answerTo(answers, 1), 10000);
        const ConsoleAnswer listened = *answerTo(answers, 1);
        QVERIFY2(listened.ok, qPrintable(listened.firstLine()));
        QCOMPARE(listened.ids, QStringList{QStringLiteral("L1")});
        // The server's kernel has it: it comes back in the agent's batches.
        QTRY_VERIFY_WITH_TIMEOUT(connectionOn(model, port, TcpState::Listen), 10000);

        source.submitLab(2, QStringLiteral("connect %1").arg(where));
        QTRY_VERIFY_WITH_TIMEOUT(answerTo(answers, 2), 10000);
        QVERIFY2(answerTo(answers, 2)->ok, qPrintable(answerTo(answers, 2)->firstLine()));
        // Its accept is an event of the lab's own, not an answer.
        QTRY_VERIFY_WITH_TIMEOUT(!events.isEmpty(), 10000);

        // A second listener on the port: refused, the first one named as the culprit.
        source.submitLab(3, QStringLiteral("listen %1").arg(where));
        QTRY_VERIFY_WITH_TIMEOUT(answerTo(answers, 3), 10000);
        const ConsoleAnswer refused = *answerTo(answers, 3);
        QVERIFY(!refused.ok);
        QCOMPARE(refused.errnoName, QStringLiteral("EADDRINUSE"));
        QVERIFY(refused.explanation);
        QVERIFY(!refused.explanation->culprits.isEmpty());
        QCOMPARE(refused.explanation->culprits.first().socket.local.port, port);

        // The connection drops: the agent ends, and the lab's sockets with it.
        QVERIFY(lost.isEmpty());
        QVERIFY(m_sshd.killSessions());
        QTRY_VERIFY_WITH_TIMEOUT(!lost.isEmpty(), 10000);
        QVERIFY2(lost.first().first().toString().contains(QLatin1String("were closed")),
                 qPrintable(lost.first().first().toString()));
        QTRY_VERIFY_WITH_TIMEOUT(connected.size() == 2, 15000);
        // Marked gone by the reconnect's snapshot, then dropped as the window's tick does.
        QTRY_VERIFY_WITH_TIMEOUT(
            (model.tick(monotonicMs()), !connectionOn(model, port, TcpState::Listen)), 10000);
        // A new lab there, numbering from L1 (the old port is in TIME_WAIT
        // from the accepted connection the agent closed first).
        source.submitLab(4, QStringLiteral("listen 127.0.0.1:%1").arg(freePort()));
        QTRY_VERIFY_WITH_TIMEOUT(answerTo(answers, 4), 10000);
        QVERIFY2(answerTo(answers, 4)->ok, qPrintable(answerTo(answers, 4)->firstLine()));
        QCOMPARE(answerTo(answers, 4)->ids, QStringList{QStringLiteral("L1")});
        source.stop();
    }

    void labNotAskedForIsRefused()
    {
        const std::uint16_t port = freePort();
        RemoteSource source(m_sshd.target());
        QSignalSpy connected(&source, &RemoteSource::connected);
        QSignalSpy answers(&source, &RemoteSource::labAnswered);
        source.start();
        QTRY_VERIFY_WITH_TIMEOUT(!connected.isEmpty(), 15000);
        source.submitLab(9, QStringLiteral("listen 127.0.0.1:%1").arg(port));
        QTRY_VERIFY_WITH_TIMEOUT(answerTo(answers, 9), 10000);
        const ConsoleAnswer answer = *answerTo(answers, 9);
        QVERIFY(!answer.ok);
        QCOMPARE(answer.errnoName, QStringLiteral("EPERM"));
        QVERIFY2(answer.text.contains(QLatin1String("--remote-lab")), qPrintable(answer.text));
        // Nothing was opened there.
        const UniqueFd free = listenOn(false, port);
        QVERIFY(free.get() >= 0);
        source.stop();
    }

    void agentWithoutLabRefusesARequest()
    {
        // A window that sends anyway (an older one, a hand-written client)
        // meets the agent's own refusal, not a lab.
        const QByteArray out = sshRun(
            m_sshd, QStringLiteral("printf '%s\\n' '{\"lab_request\":\"5\",\"line\":\"list\"}' | "
                                   "timeout 10 sockscope agent --interval 100 | grep lab_answer"));
        QVERIFY2(out.contains("\"request\":\"5\"") && out.contains("EPERM") &&
                     out.contains("--remote-lab"),
                 out.constData());
    }

    void ssFallbackHasNoLab()
    {
        RemoteSource source(m_sshd.target());
        source.setForceSs(true);
        source.setLab(true);
        QSignalSpy connected(&source, &RemoteSource::connected);
        QSignalSpy answers(&source, &RemoteSource::labAnswered);
        source.start();
        QTRY_VERIFY_WITH_TIMEOUT(!connected.isEmpty(), 15000);
        source.submitLab(1, QStringLiteral("list"));
        QTRY_VERIFY_WITH_TIMEOUT(answerTo(answers, 1), 10000);
        QCOMPARE(answerTo(answers, 1)->errnoName, QStringLiteral("EOPNOTSUPP"));
        QVERIFY(answerTo(answers, 1)->text.contains(QLatin1String("--install-agent")));
        source.stop();
    }

    void requestBeforeTheConnectionIsRefused()
    {
        RemoteSource source(m_sshd.target());
        source.setLab(true);
        QSignalSpy answers(&source, &RemoteSource::labAnswered);
        source.submitLab(1, QStringLiteral("list")); // not started
        source.start();
        source.submitLab(2, QStringLiteral("list")); // ssh still connecting
        QTRY_VERIFY_WITH_TIMEOUT(answers.size() == 2, 10000);
        for (std::uint64_t request : {1, 2}) {
            QCOMPARE(answerTo(answers, request)->errnoName, QStringLiteral("ENOTCONN"));
            QVERIFY(answerTo(answers, request)->text.contains(QLatin1String("nothing was sent")));
        }
        source.stop();
    }

private:
    SshdRun m_sshd;
};

SOCKSCOPE_TEST_MAIN_NETNS(TestRemoteLab, QGuiApplication)
#include "tst_remotelab.moc"
