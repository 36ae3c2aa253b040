// SPDX-License-Identifier: GPL-3.0-or-later
// A server a test starts (sshd, prometheus, `sockscope exporter`) ends with
// the test even when the test is killed and runs no cleanup: startServer()
// goes through die_with_parent. Here a shell stands for the killed test.
#include "namednamespace.h"
#include "processrun.h"

#include <csignal>
#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QThread>
#include <sys/types.h>
#include <unistd.h>

using namespace sockscope::test;

namespace {

// Running, and not a zombie waiting for a reaper.
bool alive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const qsizetype paren = line.lastIndexOf(')');
    return paren > 0 && paren + 2 < line.size() && line.at(paren + 2) != 'Z';
}

// A shell that starts `sleep 60` (through `wrapper` when given), prints its
// pid once it is sleep (so past die_with_parent's prctl), and waits; returns
// that pid, or 0.
qint64 startShellWithSleeper(QProcess &shell, const QString &wrapper)
{
    const QString start = wrapper.isEmpty() ? QStringLiteral("/bin/sleep 60 &")
                                            : QStringLiteral("\"$0\" /bin/sleep 60 &");
    shell.start(QStringLiteral("/bin/sh"),
                {QStringLiteral("-c"),
                 start + QStringLiteral(" p=$!; while [ \"$(cat /proc/$p/comm)\" != sleep ]; do "
                                        ":; done; echo $p; wait"),
                 wrapper});
    if (!shell.waitForReadyRead(5000))
        return 0;
    return shell.readLine().trimmed().toLongLong();
}

bool waitUntilGone(qint64 pid, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (alive(pid)) {
        if (deadline.hasExpired())
            return false;
        QThread::msleep(10);
    }
    return true;
}

} // namespace

class TestServerLifetime : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void serverDiesWithItsKilledParent()
    {
        QProcess shell;
        const qint64 sleeper = startShellWithSleeper(shell, dieWithParentProgram());
        QVERIFY2(sleeper > 0, shell.readAllStandardError().constData());
        QVERIFY(alive(sleeper));
        ::kill(static_cast<pid_t>(shell.processId()), SIGKILL);
        QVERIFY(shell.waitForFinished(5000));
        QVERIFY2(waitUntilGone(sleeper, 5000), "the server outlived its killed parent");
    }

    // Without it, the same server lives on: what the harness guards against.
    void withoutItTheServerLivesOn()
    {
        QProcess shell;
        const qint64 sleeper = startShellWithSleeper(shell, QString());
        QVERIFY(sleeper > 0);
        ::kill(static_cast<pid_t>(shell.processId()), SIGKILL);
        QVERIFY(shell.waitForFinished(5000));
        const bool gone = waitUntilGone(sleeper, 300);
        ::kill(static_cast<pid_t>(sleeper), SIGKILL);
        QVERIFY(!gone);
    }

    // A test killed before its cleanup left its `ip netns` namespace; the
    // next test that makes one removes it.
    void leftoverNamespacesAreRemoved()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to add network namespaces");
        const QString ip = QStandardPaths::findExecutable(QStringLiteral("ip"));
        if (ip.isEmpty())
            QSKIP("needs ip (iproute2)");
        QProcess gone;
        gone.start(QStringLiteral("/bin/true"), {});
        QVERIFY(gone.waitForFinished(5000));
        const QString leftover = QStringLiteral("sockscope-test-%1-1").arg(gone.processId());
        QCOMPARE(runProcess(ip, {QStringLiteral("netns"), QStringLiteral("add"), leftover}, 10000)
                     .status,
                 0);
        const QString path = QStringLiteral("/run/netns/") + leftover;
        QVERIFY(QFile::exists(path));
        {
            NamedNamespace fresh;
            QVERIFY2(fresh.unavailable().isEmpty(), qPrintable(fresh.unavailable()));
            QVERIFY(QFile::exists(QStringLiteral("/run/netns/") + fresh.name()));
        }
        const bool removed = !QFile::exists(path);
        if (!removed)
            runProcess(ip, {QStringLiteral("netns"), QStringLiteral("del"), leftover}, 10000);
        QVERIFY2(removed, qPrintable(leftover + QStringLiteral(" is still there")));
    }

    void badUsageSaysHow()
    {
        const ProcessRun run = runProcess(dieWithParentProgram(), {}, 5000);
        QCOMPARE(run.status, 2);
        QVERIFY(run.err.contains("usage: die_with_parent PROGRAM"));
        const ProcessRun missing =
            runProcess(dieWithParentProgram(), {QStringLiteral("/nonexistent/server")}, 5000);
        QCOMPARE(missing.status, 127);
        QVERIFY2(missing.err.contains("No such file"), missing.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestServerLifetime)
#include "tst_serverlifetime.moc"
