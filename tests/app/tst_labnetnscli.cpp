// SPDX-License-Identifier: GPL-3.0-or-later
// `sockscope lab --netns` and `sockscope scenario Sn --netns` against an
// `ip netns add` namespace of the test's own: the lab's sockets are made
// there, S1 runs there, a down loopback there is one line naming the fix for
// that namespace; a namespace that cannot be entered is refused clearly.
#include "namednamespace.h"
#include "netns.h"
#include "processrun.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QProcess>
#include <QTest>
#include <unistd.h>

using namespace sockscope::test;

namespace {
const QString kBinary = QStringLiteral(SOCKSCOPE_BINARY);
const QString kNetns = QStringLiteral("--netns");

QString answerOf(QProcess &lab, const QByteArray &line)
{
    lab.write(line + '\n');
    const QDeadlineTimer deadline(10000);
    while (!lab.canReadLine() && !deadline.hasExpired() && lab.state() == QProcess::Running)
        lab.waitForReadyRead(100);
    return QString::fromUtf8(lab.readLine()).trimmed();
}
} // namespace

class TestLabNetnsCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void labConsoleActsThere()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        NamedNamespace named;
        if (!named.unavailable().isEmpty())
            QSKIP(qPrintable(named.unavailable()));
        QProcess lab;
        lab.start(kBinary, {QStringLiteral("lab"), kNetns, named.name()});
        QVERIFY(lab.waitForStarted());
        const QString listened = answerOf(lab, "listen 127.0.0.1:31971");
        QVERIFY2(listened.startsWith(QLatin1String("ok")), qPrintable(listened));
        QVERIFY(answerOf(lab, "connect 127.0.0.1:31971").startsWith(QLatin1String("ok")));
        // The console's own reading of the kernel is the namespace's too.
        const QString waited = answerOf(lab, "wait ESTABLISHED 31971");
        QVERIFY2(waited.startsWith(QLatin1String("ok")), qPrintable(waited));
        QVERIFY(named.ssSockets().contains(QStringLiteral("LISTEN 127.0.0.1:31971 0.0.0.0:*")));
        // Nothing in the test's own namespace.
        const ProcessRun here =
            runProcess(QStringLiteral("ss"),
                       {QStringLiteral("-tanH"), QStringLiteral("sport = :31971")}, 10000);
        QCOMPARE(here.out.trimmed(), QByteArray());
        lab.closeWriteChannel();
        QVERIFY(lab.waitForFinished(10000));
        QCOMPARE(lab.exitCode(), 0);
    }

    void scenarioRunsThere()
    {
        NamedNamespace named;
        if (!named.unavailable().isEmpty())
            QSKIP(qPrintable(named.unavailable()));
        const ProcessRun run = runProcess(
            kBinary, {QStringLiteral("scenario"), QStringLiteral("S1"), kNetns, named.name()},
            60000);
        QVERIFY2(run.status == 0, run.out.constData());
    }

    void scenarioSaysLoopbackIsDownThere()
    {
        NamedNamespace named(false);
        if (!named.unavailable().isEmpty())
            QSKIP(qPrintable(named.unavailable()));
        const ProcessRun run = runProcess(
            kBinary, {QStringLiteral("scenario"), QStringLiteral("S1"), kNetns, named.name()},
            60000);
        QCOMPARE(run.status, 1);
        const QString fix = QStringLiteral("loopback is down in network namespace %1: run `ip -n "
                                           "%1 link set lo up`")
                                .arg(named.name());
        const QString out = QString::fromUtf8(run.out);
        QVERIFY2(out.count(fix) == 1, qPrintable(out));
        QVERIFY2(!out.contains(QStringLiteral("[DIFFERS]")), qPrintable(out));
    }

    void refusesWhatItCannotEnter_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::newRow("lab") << QStringList{QStringLiteral("lab")};
        QTest::newRow("scenario") << QStringList{QStringLiteral("scenario"), QStringLiteral("S1")};
    }
    void refusesWhatItCannotEnter()
    {
        QFETCH(QStringList, command);
        const ProcessRun unknown = runProcess(
            kBinary, command + QStringList{kNetns, QStringLiteral("no-such-ns-here")}, 10000);
        QCOMPARE(unknown.status, 2);
        QVERIFY2(unknown.err.contains("no network namespace named 'no-such-ns-here'"),
                 unknown.err.constData());
        if (::geteuid() == 0)
            QSKIP("root may enter pid 1's namespace: the refusal needs an unprivileged user");
        // pid 1's namespace: not ours to enter without CAP_SYS_ADMIN.
        const ProcessRun refused =
            runProcess(kBinary, command + QStringList{kNetns, QStringLiteral("1")}, 10000);
        QCOMPARE(refused.status, 2);
        QVERIFY2(refused.err.contains("root (or CAP_SYS_ADMIN"), refused.err.constData());
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestLabNetnsCli, QCoreApplication)
#include "tst_labnetnscli.moc"
