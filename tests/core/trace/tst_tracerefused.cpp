// SPDX-License-Identifier: GPL-3.0-or-later
// The tracepoints refused: without the capabilities (an unprivileged user),
// or with bpf() denied by a seccomp filter (a container's default profile).
// `watch` must fall back to polling with one line saying why, and go on.
#include "netns.h"
#include "processrun.h"

#include <cerrno>
#include <QCoreApplication>
#include <QStandardPaths>
#include <QTest>
#include <unistd.h>

using namespace sockscope;

namespace {

constexpr int kNoFilter = 97; // seccomp_exec's exit status when seccomp was refused
const QStringList kWatch{QStringLiteral("watch"), QStringLiteral("--duration"),
                         QStringLiteral("800"), QStringLiteral("--interval"),
                         QStringLiteral("100")};

void verifyPolledWithReason(const test::ProcessRun &run, const QString &reason)
{
    const QString err = QString::fromLocal8Bit(run.err);
    QCOMPARE(run.status, 0);
    QCOMPARE(err.count(QStringLiteral("Polling:")), 1);
    QVERIFY2(err.contains(reason), qPrintable(err));
    QVERIFY2(!err.contains(QStringLiteral("tracing every transition")), qPrintable(err));
}

} // namespace

class TestTraceRefused : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void unprivilegedUserPolls()
    {
        const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
        if (::geteuid() != 0 || setpriv.isEmpty())
            QSKIP("becoming nobody needs root and setpriv (util-linux)");
        const auto run = test::runProcess(
            setpriv,
            QStringList{QStringLiteral("--reuid=nobody"), QStringLiteral("--regid=nogroup"),
                        QStringLiteral("--clear-groups"), QStringLiteral(SOCKSCOPE_BINARY)} +
                kWatch,
            30000);
        verifyPolledWithReason(run, QStringLiteral("needs CAP_BPF and CAP_PERFMON"));
    }

    void bpfDeniedBySeccompPolls()
    {
        if (::geteuid() != 0)
            QSKIP("as a user the missing capabilities are the reason (unprivilegedUserPolls)");
        const auto run = test::runProcess(QStringLiteral(SOCKSCOPE_SECCOMP_EXEC),
                                          QStringList{QStringLiteral("bpf"), QString::number(EPERM),
                                                      QStringLiteral(SOCKSCOPE_BINARY)} +
                                              kWatch,
                                          30000);
        if (run.status == kNoFilter)
            QSKIP("the kernel refused the seccomp filter");
        verifyPolledWithReason(run, QStringLiteral("loading the TCP trace program"));
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestTraceRefused, QCoreApplication)
#include "tst_tracerefused.moc"
