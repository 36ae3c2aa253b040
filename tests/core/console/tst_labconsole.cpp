// SPDX-License-Identifier: GPL-3.0-or-later
// The lab console line by line: bad input answers EINVAL and the console goes
// on; the S4 steps typed into the real `sockscope lab` show the states the
// issue promises; end of input leaves nothing of the lab behind.
#include "console/labconsole.h"
#include "netlink/diagclient.h"
#include "netns.h"

#include <algorithm>
#include <csignal>
#include <QCoreApplication>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace sockscope;

namespace {

struct Session
{
    int status = -1;
    QStringList answers; // first lines only: the ones that do not start with a space
    QString output;
};

Session runLab(const QStringList &script, int timeoutMs = 30000)
{
    QProcess process;
    process.start(QStringLiteral(SOCKSCOPE_BINARY), {QStringLiteral("lab")});
    Session session;
    if (!process.waitForStarted())
        return session;
    process.write(script.join(QLatin1Char('\n')).toUtf8() + '\n');
    process.closeWriteChannel(); // end of input: the lab closes everything and exits
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return session;
    }
    session.status = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    session.output = QString::fromUtf8(process.readAllStandardOutput());
    for (const QString &line : session.output.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        if (!line.startsWith(QLatin1Char(' ')))
            session.answers << line;
    }
    return session;
}

std::vector<SocketRecord> socketsOn(std::uint16_t port)
{
    auto client = DiagClient::open();
    if (!client)
        return {};
    DumpFilter filter;
    filter.port = port;
    auto dump = (*client)->dump(filter);
    return dump ? *dump : std::vector<SocketRecord>();
}

// Sockets a process still holds (inode != 0): TIME_WAIT and orphans are the kernel's.
int heldSockets(std::uint16_t port)
{
    int held = 0;
    for (const SocketRecord &socket : socketsOn(port))
        held += socket.inode != 0 ? 1 : 0;
    return held;
}

} // namespace

class TestLabConsole : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void badInputAnswersEinval_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown verb") << "frobnicate 1"
                                      << "unknown command 'frobnicate'";
        QTest::newRow("port 70000") << "listen 127.0.0.1:70000"
                                    << "70000";
        QTest::newRow("unknown listener") << "close L7"
                                          << "L7";
        QTest::newRow("unknown server") << "status P9"
                                        << "P9";
        QTest::newRow("unknown client") << "reset C42"
                                        << "C42";
        QTest::newRow("listen without address") << "listen"
                                                << "missing";
        QTest::newRow("count 0") << "connect 127.0.0.1:9000 count 0"
                                 << "count '0'";
        QTest::newRow("wait BOGUS") << "wait BOGUS 9000"
                                    << "unknown state 'BOGUS'";
        QTest::newRow("wait without port") << "wait LISTEN"
                                           << "missing PORT";
        QTest::newRow("wrong id kind") << "kill C1"
                                       << "'C1'";
        QTest::newRow("naive client") << "close C1 naive"
                                      << "listeners only";
        QTest::newRow("backlog without value") << "listen 127.0.0.1:9000 backlog"
                                               << "missing backlog";
        QTest::newRow("unknown option") << "listen 127.0.0.1:9000 loud"
                                        << "unknown option 'loud'";
        QTest::newRow("connect port 0") << "connect 127.0.0.1:0"
                                        << "port from 1";
        QTest::newRow("mixed families") << "connect [::1]:9000 from 127.0.0.1:1"
                                        << "same family";
        QTest::newRow("not an address") << "server 1.2.3:9000"
                                        << "not a numeric IPv4 address";
        QTest::newRow("bad policy") << "server 127.0.0.1:9000 policy panic"
                                    << "policy takes";
        QTest::newRow("negative sleep") << "sleep -1"
                                        << "'-1'";
        QTest::newRow("extra word") << "fds now"
                                    << "unexpected 'now'";
        QTest::newRow("backwards range") << "close C5..C1"
                                         << "not a valid id range";
        QTest::newRow("range across listeners") << "close L1.1..L2.3"
                                                << "not a valid id range";
        QTest::newRow("accepted connection is no listener") << "accept L1.1 pause"
                                                            << "not an id this command takes";
        QTest::newRow("close mode on a connection") << "close L1.2 naive"
                                                    << "listeners only";
        QTest::newRow("unknown accepted connection") << "close L1.1..3"
                                                     << "no connection L1.1";
    }

    void badInputAnswersEinval()
    {
        QFETCH(QString, line);
        QFETCH(QString, mentions);
        LabConsole console(QStringLiteral(SOCKSCOPE_BINARY));
        const auto answer = console.execute(line);
        QVERIFY(answer);
        QCOMPARE(answer->lines().size(), 1);
        QVERIFY2(answer->firstLine().startsWith(QLatin1String("error EINVAL ")),
                 qPrintable(answer->firstLine()));
        QVERIFY2(answer->firstLine().contains(mentions), qPrintable(answer->firstLine()));
        // The console goes on.
        const auto next = console.execute(QStringLiteral("fds"));
        QVERIFY(next && next->ok);
    }

    void commentsAndBlankLinesGetNoAnswer()
    {
        LabConsole console(QStringLiteral(SOCKSCOPE_BINARY));
        QVERIFY(!console.execute(QString()));
        QVERIFY(!console.execute(QStringLiteral("   ")));
        QVERIFY(!console.execute(QStringLiteral("# listen 127.0.0.1:9000")));
        const auto answer = console.execute(QStringLiteral("fds # how many"));
        QVERIFY(answer && answer->ok);
    }

    void multiLineAnswersIndentTheRest()
    {
        LabConsole console(QStringLiteral(SOCKSCOPE_BINARY));
        const auto listen = console.execute(QStringLiteral("listen 127.0.0.1:0"));
        QVERIFY(listen && listen->ok);
        QVERIFY2(listen->firstLine().startsWith(QLatin1String("ok L1 127.0.0.1:")),
                 qPrintable(listen->firstLine()));
        const QString port =
            listen->firstLine().section(QLatin1Char(' '), 2, 2).section(QLatin1Char(':'), 1);
        const auto show = console.execute(QStringLiteral("show ") + port);
        QVERIFY(show && show->ok);
        QCOMPARE(show->firstLine(), QStringLiteral("ok 1 socket"));
        const QStringList lines = show->lines();
        QCOMPARE(lines.size(), 3); // the answer, the table header, the LISTEN row
        QVERIFY(lines[1].startsWith(QLatin1String("  State")));
        QVERIFY(lines[2].startsWith(QLatin1String("  LISTEN")));
        const auto help = console.execute(QStringLiteral("help"));
        QVERIFY(help && help->firstLine().startsWith(QLatin1String("ok ")));
        for (const QString &line : help->lines().mid(1))
            QVERIFY(line.startsWith(QLatin1String("  ")));
    }

    void s4StepsThroughTheBinary()
    {
        SOCKSCOPE_REQUIRE_NETNS(); // the seed's fixed ports
        const QStringList script = {
            QStringLiteral("# S4, as a new user would type it"),
            QStringLiteral("listen 127.0.0.1:9000 accept close"),
            QStringLiteral("connect 127.0.0.1:9000 from 127.0.0.1:10001 then never-close"),
            QStringLiteral("wait CLOSE_WAIT 10001 3000"),
            QStringLiteral("wait FIN_WAIT2 9000 3000"),
            QString(),
            QStringLiteral("connect 127.0.0.1:9000 from 127.0.0.1:10001"),
            QStringLiteral("check 127.0.0.1:10001 reuseaddr"),
            QStringLiteral("close C1"),
            QStringLiteral("wait TIME_WAIT 9000 3000"),
            QStringLiteral("show 9000"),
        };
        const Session session = runLab(script);
        QCOMPARE(session.status, 0);
        QCOMPARE(session.answers.size(), 9); // one per command; none for the comment and blank line
        QVERIFY2(session.answers[0].startsWith(QLatin1String("ok L1 127.0.0.1:9000")),
                 qPrintable(session.output));
        QVERIFY2(
            session.answers[1].startsWith(QStringLiteral("ok C1 127.0.0.1:10001 → 127.0.0.1:9000")),
            qPrintable(session.output));
        QVERIFY2(session.answers[2].startsWith(
                     QStringLiteral("ok CLOSE_WAIT 127.0.0.1:10001 → 127.0.0.1:9000")),
                 qPrintable(session.output));
        QVERIFY2(session.answers[3].startsWith(
                     QStringLiteral("ok FIN_WAIT2 127.0.0.1:9000 → 127.0.0.1:10001")),
                 qPrintable(session.output));
        for (const int failed : {4, 5}) {
            const QString &line = session.answers[failed];
            QVERIFY2(line.startsWith(QLatin1String("error EADDRINUSE ")), qPrintable(line));
            QVERIFY2(line.contains(QStringLiteral(
                         "127.0.0.1:10001 is still held by the CLOSE_WAIT connection "
                         "127.0.0.1:10001 → 127.0.0.1:9000 (pid ")),
                     qPrintable(line));
            QVERIFY2(line.contains(QLatin1String("it goes away when that process closes it")),
                     qPrintable(line));
        }
        QVERIFY2(session.answers[6].startsWith(QLatin1String("ok C1")), qPrintable(session.output));
        QVERIFY2(session.answers[7].startsWith(
                     QStringLiteral("ok TIME_WAIT 127.0.0.1:9000 → 127.0.0.1:10001")),
                 qPrintable(session.output));
        QVERIFY2(session.answers[8].startsWith(QLatin1String("ok ")), qPrintable(session.output));
        QVERIFY(session.output.contains(
            QRegularExpression(QStringLiteral("\n  TIME_WAIT +0 +0 +127\\.0\\.0\\.1:9000 "))));

        // Only the kernel's TIME_WAIT is left: the listener is closed.
        QCOMPARE(heldSockets(9000), 0);
        QCOMPARE(heldSockets(10001), 0);
        const auto left = socketsOn(9000);
        QVERIFY(std::all_of(left.begin(), left.end(),
                            [](const SocketRecord &s) { return s.state == TcpState::TimeWait; }));
    }

    void endOfInputClosesEverything()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        const Session session = runLab({
            QStringLiteral("listen 127.0.0.1:9100 thread accept hold"),
            QStringLiteral("listen 127.0.0.1:9101 accept pause"),
            QStringLiteral("connect 127.0.0.1:9100 count 5 then keep"),
            QStringLiteral("connect 127.0.0.1:9101 count 3 then never-close"),
            QStringLiteral("server 127.0.0.1:9102 policy spin"),
            QStringLiteral("connect 127.0.0.1:9102 count 2 then keep"),
            QStringLiteral("sleep 200"),
        });
        QCOMPARE(session.status, 0);
        QCOMPARE(session.answers.size(), 7);
        for (const QString &answer : session.answers)
            QVERIFY2(answer.startsWith(QLatin1String("ok ")), qPrintable(session.output));
        const QRegularExpressionMatch pid =
            QRegularExpression(QStringLiteral("pid=(\\d+)")).match(session.answers[4]);
        QVERIFY(pid.hasMatch());
        for (const std::uint16_t port : {9100, 9101, 9102})
            QCOMPARE(heldSockets(port), 0);
        // The server child is gone (and reaped: no zombie left to signal).
        QCOMPARE(::kill(pid.captured(1).toInt(), 0), -1);
    }

    void closingAListenerLeavesItsConnections()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        LabConsole console(QStringLiteral(SOCKSCOPE_BINARY));
        const auto run = [&console](const char *line) {
            return console.execute(QString::fromLatin1(line)).value_or(ConsoleAnswer{});
        };
        QVERIFY(run("listen 127.0.0.1:9300").ok);
        const ConsoleAnswer fired = run("connect 127.0.0.1:9300 count 2");
        QCOMPARE(fired.ids, (QStringList{"C1", "C2"}));
        // Each client has its own line, not the group's.
        QVERIFY2(fired.objects.value("C2").line.startsWith(QLatin1String("ok C2 127.0.0.1:")),
                 qPrintable(fired.objects.value("C2").line));
        QCOMPARE(fired.objects.value("C2").state, QStringLiteral("connected"));
        // The listener's side of each, made along: told, not among the ids.
        QCOMPARE(fired.objects.value("L1.2").state, QStringLiteral("connected"));
        QVERIFY2(fired.objects.value("L1.2").line.contains(QLatin1String("accepted-by=L1")),
                 qPrintable(fired.objects.value("L1.2").line));

        const ConsoleAnswer closed = run("close L1 naive");
        QCOMPARE(
            closed.firstLine(),
            QStringLiteral("ok L1 closed naive: 2 accepted connections stay open (L1.1, L1.2)"));
        QCOMPARE(closed.ids, (QStringList{"L1", "L1.1", "L1.2"}));
        QCOMPARE(closed.objects.value("L1").state, QStringLiteral("closed"));
        QCOMPARE(closed.objects.value("L1.1").state, QStringLiteral("connected"));
        int established = 0;
        for (const SocketRecord &socket : socketsOn(9300)) {
            QVERIFY(socket.state != TcpState::Listen && socket.state != TcpState::TimeWait);
            established += socket.state == TcpState::Established ? 1 : 0;
        }
        QCOMPARE(established, 4); // both ends of both connections
        QVERIFY2(
            run("list").text.contains(QLatin1String("L1 127.0.0.1:9300 closed; L1.1 connected; "
                                                    "L1.2 connected; C1 connected")),
            qPrintable(run("list").text));

        const ConsoleAnswer first = run("close L1.1");
        QVERIFY2(first.ok && first.text.contains(QLatin1String("closed accepted-by=L1")),
                 qPrintable(first.firstLine()));
        QVERIFY(run("reset L1.2").ok);
        // A failure is the object's last answer too, and says its state.
        const ConsoleAnswer again = run("close L1.1..L1.2");
        QVERIFY2(!again.ok && again.errnoName == QLatin1String("EINVAL"),
                 qPrintable(again.firstLine()));
        QCOMPARE(again.objects.value("L1.2").state, QStringLiteral("reset"));
        QVERIFY(again.objects.value("L1.2").line.startsWith(QLatin1String("error EINVAL")));
        const ConsoleAnswer twice = run("close L1 graceful");
        QVERIFY(!twice.ok);
        QCOMPARE(twice.ids, QStringList{"L1"});
        QCOMPARE(twice.objects.value("L1").state, QStringLiteral("closed"));
        QVERIFY(twice.objects.value("L1").line.startsWith(QLatin1String("error EINVAL")));
    }

    void closingAListenerCountsTheQueuedResets()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        LabConsole console(QStringLiteral(SOCKSCOPE_BINARY));
        QVERIFY(console.execute(QStringLiteral("listen 127.0.0.1:9301 accept pause"))->ok);
        QVERIFY(console.execute(QStringLiteral("connect 127.0.0.1:9301 count 3"))->ok);
        const auto queued = [] {
            const std::vector<SocketRecord> sockets = socketsOn(9301);
            return std::any_of(sockets.begin(), sockets.end(), [](const SocketRecord &s) {
                return s.state == TcpState::Listen && s.recvQ == 3;
            });
        };
        QTRY_VERIFY(queued());
        const auto closed = console.execute(QStringLiteral("close L1 naive"));
        QCOMPARE(closed->firstLine(),
                 QStringLiteral("ok L1 closed naive: 3 queued connections reset by the kernel"));
    }

    void quitEndsTheSession()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        const Session session =
            runLab({QStringLiteral("listen 127.0.0.1:9200"), QStringLiteral("quit"),
                    QStringLiteral("listen 127.0.0.1:9201")});
        QCOMPARE(session.status, 0);
        QCOMPARE(session.answers,
                 QStringList({session.answers.value(0), QStringLiteral("ok bye")}));
        QCOMPARE(heldSockets(9200), 0);
        QVERIFY(socketsOn(9201).empty());
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestLabConsole, QCoreApplication)
#include "tst_labconsole.moc"
