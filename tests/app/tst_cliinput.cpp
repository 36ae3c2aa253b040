// SPDX-License-Identifier: GPL-3.0-or-later
// Every command's options given hostile values, through the real binary:
// out of range, malformed, empty, huge, unicode. Each is a usage error (exit
// 2, nothing on stdout) in one short line that names the option and the bad
// value, says what is allowed and where the help is. Also `sockscope lab`
// fed garbage, a 1 MiB line, a line cut by the end of input, or no stdin.
#include "processrun.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTest>
#include <unistd.h>

using sockscope::test::ProcessRun;

namespace {

// One argument may not exceed MAX_ARG_STRLEN (128 KiB) in execve().
constexpr int kHugeArgument = 100000;
constexpr qsizetype kMaxMessage = 500;

ProcessRun runSockscope(const QStringList &arguments)
{
    return sockscope::test::runProcess(QStringLiteral(SOCKSCOPE_BINARY), arguments, 15000);
}

// `sockscope lab` with `input` on stdin (then end of input), or with no
// stdin at all (descriptor 0 closed) when input is null.
ProcessRun runLab(const QByteArray &input)
{
    QProcess process;
    if (input.isNull()) {
        process.setChildProcessModifier([] { ::close(STDIN_FILENO); });
        process.setInputChannelMode(QProcess::ForwardedInputChannel);
    }
    process.start(QStringLiteral(SOCKSCOPE_BINARY), {QStringLiteral("lab")});
    if (!process.waitForStarted())
        return {};
    if (!input.isNull()) {
        process.write(input);
        process.closeWriteChannel();
    }
    return sockscope::test::finishProcess(process, 30000);
}

QStringList args(std::initializer_list<QString> list)
{
    return QStringList(list);
}

} // namespace

class TestCliInput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hostileOptionValues_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions"); // the bad value as quoted, and what is allowed
        QTest::addColumn<QString>("help");
        const QString huge(kHugeArgument, QLatin1Char('9'));
        const QString dumpHelp = QStringLiteral("'sockscope dump --help'");
        const QString watchHelp = QStringLiteral("'sockscope watch --help'");
        const QString windowHelp = QStringLiteral("'sockscope --help'");
        const QString scenarioHelp = QStringLiteral("'sockscope scenario --help'");
        const QString labHelp = QStringLiteral("'sockscope lab --help'");
        const QString shot = QStringLiteral("/tmp/sockscope-never-written.png");

        QTest::newRow("dump: huge port") << args({"dump", "--port", huge})
                                         << "(100000 characters): expected a whole number "
                                            "from 0 to 65535"
                                         << dumpHelp;
        QTest::newRow("dump: port 2^64")
            << args({"dump", "--port", "18446744073709551616"})
            << "invalid port '18446744073709551616': expected a whole number from 0 to 65535"
            << dumpHelp;
        QTest::newRow("dump: negative port")
            << args({"dump", "--port", "-1"}) << "invalid port '-1'" << dumpHelp;
        QTest::newRow("dump: full-width port")
            << args({"dump", "--port", "\uff19\uff10\uff10\uff10"})
            << "invalid port '\uff19\uff10\uff10\uff10'" << dumpHelp;
        QTest::newRow("dump: empty port")
            << args({"dump", "--port", ""}) << "invalid port ''" << dumpHelp;
        QTest::newRow("dump: empty state")
            << args({"dump", "--state", ""}) << "unknown state '': use one of LISTEN" << dumpHelp;
        QTest::newRow("dump: emoji state")
            << args({"dump", "--state", "\U0001F4A5"}) << "unknown state '\U0001F4A5'" << dumpHelp;
        QTest::newRow("dump: arabic-indic family")
            << args({"dump", "--family", "\u0666"}) << "invalid family '\u0666': use 4 or 6"
            << dumpHelp;
        QTest::newRow("dump: control character")
            << args({"dump", "--state", "LIS\aTEN"}) << "unknown state 'LIS\\x07TEN'" << dumpHelp;
        QTest::newRow("dump: RTL positional")
            << args({"dump", "\u05e9\u05dc\u05d5\u05dd"})
            << "dump takes no argument '\u05e9\u05dc\u05d5\u05dd'" << dumpHelp;
        QTest::newRow("dump: huge unknown option")
            << args({"dump", QStringLiteral("--") + QString(kHugeArgument, QLatin1Char('x'))})
            << "Unknown option 'xxx" << dumpHelp;
        QTest::newRow("watch: interval 2^64")
            << args({"watch", "--interval", "18446744073709551616"})
            << "invalid interval '18446744073709551616': expected a whole number from 20 to 60000"
            << watchHelp;
        QTest::newRow("watch: negative duration")
            << args({"watch", "--duration", "-5"}) << "invalid duration '-5'" << watchHelp;
        QTest::newRow("watch: huge duration") << args({"watch", "--duration", "99999999999"})
                                              << "invalid duration '99999999999'" << watchHelp;
        QTest::newRow("lab: an argument")
            << args({"lab", "listen"}) << "takes no argument 'listen'" << labHelp;
        QTest::newRow("lab: unknown option")
            << args({"lab", "--frobnicate"}) << "frobnicate" << labHelp;
        QTest::newRow("scenario: S9")
            << args({"scenario", "S9"}) << "unknown scenario 'S9': use S1" << scenarioHelp;
        QTest::newRow("scenario: empty")
            << args({"scenario", ""}) << "unknown scenario ''" << scenarioHelp;
        QTest::newRow("scenario: two")
            << args({"scenario", "S1", "S2"}) << "name one scenario" << scenarioHelp;
        QTest::newRow("scenario: huge")
            << args({"scenario", huge}) << "(100000 characters)" << scenarioHelp;
        QTest::newRow("window: interval words")
            << args({"--interval", "fast"}) << "invalid interval 'fast'" << windowHelp;
        QTest::newRow("window: size 0x0") << args({"--screenshot", shot, "--size", "0x0"})
                                          << "invalid size '0x0': use WIDTHxHEIGHT" << windowHelp;
        QTest::newRow("window: full-width size")
            << args({"--screenshot", shot, "--size", "\uff11\uff12\uff18\uff10x\uff18\uff10\uff10"})
            << "invalid size '\uff11\uff12\uff18\uff10x\uff18\uff10\uff10'" << windowHelp;
        QTest::newRow("window: steps 0")
            << args({"--screenshot", shot, "--scenario", "S1", "--steps", "0"})
            << "invalid steps '0': expected a whole number from 1 to 100" << windowHelp;
        QTest::newRow("window: steps 2^64")
            << args({"--screenshot", shot, "--scenario", "S1", "--steps", "18446744073709551616"})
            << "invalid steps '18446744073709551616'" << windowHelp;
        QTest::newRow("window: scenario S7") << args({"--screenshot", shot, "--scenario", "S7"})
                                             << "unknown scenario 'S7'" << windowHelp;
        QTest::newRow("window: remote lab without a server")
            << args({"--screenshot", shot, "--remote-lab"}) << "--remote-lab needs --ssh"
            << windowHelp;
        QTest::newRow("window: empty screenshot")
            << args({"--screenshot", ""}) << "--screenshot needs a FILE name" << windowHelp;
        QTest::newRow("window: empty select-state")
            << args({"--screenshot", shot, "--select-state", ""}) << "unknown state ''"
            << windowHelp;
        QTest::newRow("window: emoji command")
            << args({"\U0001F680"}) << "unknown command '\U0001F680'" << windowHelp;
    }
    void hostileOptionValues()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        QFETCH(QString, help);
        SOCKSCOPE_REQUIRE_WINDOW_FOR_WINDOW_ROWS();
        const ProcessRun run = runSockscope(arguments);
        const QString err = QString::fromUtf8(run.err).trimmed();
        QVERIFY2(
            run.status == 2,
            qPrintable(QStringLiteral("status %1: %2").arg(run.status).arg(err.left(kMaxMessage))));
        QVERIFY(run.out.isEmpty());
        QVERIFY2(!err.contains(QLatin1Char('\n')), qPrintable(err.left(kMaxMessage)));
        QVERIFY2(err.size() <= kMaxMessage, qPrintable(err.left(kMaxMessage)));
        QVERIFY2(err.startsWith(QLatin1String("sockscope: ")), qPrintable(err));
        QVERIFY2(err.contains(mentions), qPrintable(err));
        QVERIFY2(err.endsWith(QStringLiteral("(see %1)").arg(help)), qPrintable(err));
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/sockscope-never-written.png")));
    }

    // What a pipe, a file or CI may hand `sockscope lab`: one answer per
    // line, each short, and an orderly end (status 0) whatever came in.
    void labSurvivesAnyInput_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("answers");
        QByteArray garbage;
        for (int i = 0; i < 4096; ++i)
            garbage.append(char((i * 131 + 7) % 256 == '\n' ? 'x' : (i * 131 + 7) % 256));
        QTest::newRow("1 MiB line") << (QByteArray(1 << 20, 'a') + "\nfds\n") << 2;
        QTest::newRow("binary garbage") << (garbage + "\nfds\n") << 2;
        QTest::newRow("invalid UTF-8") << QByteArray("listen \xff\xfe:9000\nfds\n") << 2;
        QTest::newRow("end of input mid-line") << QByteArray("fds\nlis") << 2;
        QTest::newRow("carriage returns") << QByteArray("fds\r\n\r\nfds\r") << 2;
        QTest::newRow("empty input") << QByteArray("") << 0;
        QTest::newRow("no stdin at all") << QByteArray() << 0;
    }
    void labSurvivesAnyInput()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, answers);
        const ProcessRun run = runLab(input);
        QCOMPARE(run.status, 0);
        const QList<QByteArray> lines = run.out.split('\n');
        int seen = 0;
        for (const QByteArray &line : lines) {
            if (line.isEmpty())
                continue;
            ++seen;
            QVERIFY2(line.startsWith("ok ") || line.startsWith("error "), line.left(200));
            QVERIFY2(line.size() <= 2000, line.left(200));
        }
        QCOMPARE(seen, answers);
    }

    // A line past the console's limit is answered, not kept: its bytes are
    // dropped as they come, so a stream without newlines cannot grow the
    // process, and the next line is read as usual.
    void overlongLineIsRefused_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArrayList>("answers");
        const QByteArray refused = "error E2BIG a line of 1048576 bytes is longer than the 65536";
        QTest::newRow("then a command")
            << (QByteArray(1 << 20, 'a') + "\nfds\n") << QByteArrayList{refused, "ok "};
        QTest::newRow("until end of input")
            << ("fds\n" + QByteArray(1 << 20, 'a')) << QByteArrayList{"ok ", refused};
        QTest::newRow("just under the limit")
            << (QByteArray(65536, 'a') + "\n") << QByteArrayList{"error EINVAL unknown command"};
    }
    void overlongLineIsRefused()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArrayList, answers);
        const ProcessRun run = runLab(input);
        QCOMPARE(run.status, 0);
        QByteArrayList lines = run.out.split('\n');
        lines.removeAll(QByteArray());
        QCOMPARE(lines.size(), answers.size());
        for (qsizetype i = 0; i < lines.size(); ++i)
            QVERIFY2(lines[i].startsWith(answers[i]), lines[i].left(200));
    }
};

QTEST_GUILESS_MAIN(TestCliInput)
#include "tst_cliinput.moc"
