// SPDX-License-Identifier: GPL-3.0-or-later
// A fresh `unshare -n` leaves loopback down: every lab action and scenario
// must say so, with the fix, instead of a bare ENETUNREACH or a page of
// differences. The whole test runs in a namespace whose lo is down.
#include "console/labconsole.h"
#include "explain/loopbackstate.h"
#include "netns.h"
#include "processrun.h"
#include "scenarios/scenariocatalog.h"
#include "scenarios/scenariorunner.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace sockscope;

namespace {
const QString kFix = QStringLiteral("ip link set lo up");

sockscope::test::ProcessRun runSockscope(const QStringList &arguments)
{
    return sockscope::test::runProcess(QStringLiteral(SOCKSCOPE_BINARY), arguments, 60000);
}
} // namespace

class TestLoopbackDown : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { SOCKSCOPE_REQUIRE_NETNS(); }

    void detectsTheDownLoopback() { QVERIFY(loopbackIsDown()); }

    void labAnswersNameTheFix_data()
    {
        QTest::addColumn<QString>("command");
        QTest::newRow("connect") << QStringLiteral("connect 127.0.0.1:9000");
        QTest::newRow("connect ::1") << QStringLiteral("connect [::1]:9000");
        // 127.0.0.1 stays assigned to a down lo (listening works, nothing
        // reaches it); ::1 does not.
        QTest::newRow("listen ::1") << QStringLiteral("listen [::1]:9000");
        QTest::newRow("server ::1") << QStringLiteral("server [::1]:9000");
    }
    void labAnswersNameTheFix()
    {
        QFETCH(QString, command);
        LabConsole console(QStringLiteral(SOCKSCOPE_BINARY));
        const auto answer = console.execute(command);
        QVERIFY(answer);
        QVERIFY2(!answer->ok, qPrintable(answer->firstLine()));
        QVERIFY2(answer->firstLine().contains(kFix), qPrintable(answer->firstLine()));
        console.closeAll();
    }

    // The panel and the CLI run the same runner: it refuses to start.
    void everyScenarioRefusesToStart()
    {
        for (const Scenario &scenario : allScenarios()) {
            ScenarioRunner runner(scenario, QStringLiteral(SOCKSCOPE_BINARY));
            const ScenarioTranscript transcript = runner.runAll();
            QVERIFY(!transcript.passed);
            QVERIFY(transcript.steps.isEmpty());
            QCOMPARE(transcript.differences(), QStringList{loopbackDownText()});
        }
    }

    void cliScenarioStopsWithOneLine_data()
    {
        QTest::addColumn<QString>("id");
        for (const Scenario &scenario : allScenarios())
            QTest::newRow(qPrintable(scenario.id)) << scenario.id;
    }
    void cliScenarioStopsWithOneLine()
    {
        QFETCH(QString, id);
        const auto run = runSockscope({QStringLiteral("scenario"), id});
        QCOMPARE(run.status, 1);
        const QString out = QString::fromUtf8(run.out);
        QVERIFY2(out.contains(kFix), qPrintable(out));
        QVERIFY2(!out.contains(QStringLiteral("[DIFFERS]")), qPrintable(out));
        QVERIFY2(out.count(kFix) == 1, qPrintable(out));
    }

    void cliLabConsoleNamesTheFix()
    {
        QProcess lab;
        lab.start(QStringLiteral(SOCKSCOPE_BINARY), {QStringLiteral("lab")});
        QVERIFY(lab.waitForStarted());
        lab.write("connect 127.0.0.1:9000\nquit\n");
        lab.closeWriteChannel();
        QVERIFY(lab.waitForFinished(30000));
        const QString out = QString::fromUtf8(lab.readAllStandardOutput());
        QVERIFY2(out.contains(kFix), qPrintable(out));
    }

    // The window's screenshot of a guided scenario that cannot start: the
    // picture of the refusal and a failing exit (it waited forever before).
    void screenshotOfARefusedScenarioEnds()
    {
        SOCKSCOPE_REQUIRE_WINDOW();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString png = dir.filePath(QStringLiteral("refused.png"));
        qputenv("XDG_CONFIG_HOME", dir.path().toUtf8());
        const auto run = runSockscope({QStringLiteral("--no-trace"), QStringLiteral("--screenshot"),
                                       png, QStringLiteral("--scenario"), QStringLiteral("S4")});
        QCOMPARE(run.status, 1);
        const QString err = QString::fromUtf8(run.err);
        QVERIFY2(err.contains(kFix), qPrintable(err));
        QVERIFY(QFileInfo(png).size() > 0);
    }

    // Last: lo brought up and down again. A step stops at the failed command
    // (a connect whose SYNs now vanish), and the next step never sends the id
    // that connect never gave.
    void aStepStopsAtTheFailureAndLaterStepsRefuseUnfilledIds()
    {
        Scenario scenario;
        scenario.id = QStringLiteral("T1");
        scenario.ports = {{QStringLiteral("PORT"), 9000}};
        scenario.steps = {
            {{QStringLiteral("listen 127.0.0.1:{PORT}")}, QStringLiteral("listen"), {}},
            {{QStringLiteral("connect 127.0.0.1:{PORT}"), QStringLiteral("status {C}")},
             QStringLiteral("connect"),
             {}},
            {{QStringLiteral("close {C}")}, QStringLiteral("close"), {}}};
        ScenarioRunner runner(scenario, QStringLiteral(SOCKSCOPE_BINARY));
        QString reason;
        QVERIFY2(sockscope::test::setLoopbackUp(true, &reason), qPrintable(reason));
        QVERIFY(runner.prepare());
        QVERIFY2(sockscope::test::setLoopbackUp(false, &reason), qPrintable(reason));
        QVERIFY(runner.runStep(0).passed);
        const StepRecord connect = runner.runStep(1);
        QVERIFY(!connect.passed);
        QCOMPARE(connect.stoppedBecause, loopbackDownText());
        QCOMPARE(connect.exchanges.size(), 1); // "status {C}" never ran
        const StepRecord close = runner.runStep(2);
        QVERIFY(!close.passed);
        QVERIFY(close.exchanges.isEmpty());
        QVERIFY2(close.stoppedBecause.contains(QStringLiteral("{C}")),
                 qPrintable(close.stoppedBecause));
    }
};

SOCKSCOPE_TEST_MAIN_NETNS_LOOPBACK(TestLoopbackDown, QCoreApplication, Down)
#include "tst_loopbackdown.moc"
