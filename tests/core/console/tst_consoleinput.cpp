// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile input to the lab console, as a script or a careless paste types
// it: huge, out-of-range, malformed, unicode and binary values; unknown ids,
// closing twice, rebinding a closed listener, the wrong address family, a
// port another user holds. Each gets one answer line that names the problem,
// and the console goes on with no descriptor more than before.
#include "console/labconsole.h"
#include "lab/lab.h"
#include "netns.h"
#include "util/descriptorcount.h"

#include <QCoreApplication>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <unistd.h>

using namespace sockscope;

namespace {

constexpr qsizetype kMiB = 1 << 20;
// Long enough for an explanation, far shorter than a 1 MiB argument.
constexpr qsizetype kMaxAnswer = 2000;

struct BadLine
{
    const char *name;
    QString line;
    QString mentions;
};

QList<BadLine> badLines()
{
    const QString huge(kMiB, QLatin1Char('9'));
    return {
        {"1 MiB port", QStringLiteral("listen 127.0.0.1:") + huge,
         QStringLiteral("(1048576 characters) is not a number from 0 to 65535")},
        {"1 MiB word", QString(kMiB, QLatin1Char('x')), QStringLiteral("unknown command 'xxxx")},
        {"1 MiB id", QStringLiteral("close C") + huge,
         QStringLiteral("is not an object id like L1")},
        {"2^64 count", QStringLiteral("connect 127.0.0.1:9000 count 18446744073709551616"),
         QStringLiteral("count '18446744073709551616' is not a whole number from 1 to 10000")},
        {"negative backlog", QStringLiteral("listen 127.0.0.1:0 backlog -5"),
         QStringLiteral("backlog '-5' is not a whole number from 0 to 65535")},
        {"negative port", QStringLiteral("listen 127.0.0.1:-1"),
         QStringLiteral("port '-1' is not a number from 0 to 65535")},
        {"full-width port", QStringLiteral("listen 127.0.0.1:\uff19\uff10\uff10\uff10"),
         QStringLiteral("port '\uff19\uff10\uff10\uff10' is not a number")},
        {"full-width count", QStringLiteral("connect 127.0.0.1:9000 count \uff15"),
         QStringLiteral("count '\uff15' is not a whole number")},
        {"full-width id", QStringLiteral("close C\uff11"), QStringLiteral("'C\uff11' is not")},
        {"RTL host", QStringLiteral("listen \u05e9\u05dc\u05d5\u05dd:9000"),
         QStringLiteral("is not a numeric IPv4 address")},
        {"emoji option", QStringLiteral("listen 127.0.0.1:0 \U0001F680"),
         QStringLiteral("unknown option '\U0001F680'")},
        {"NUL in a port", QStringLiteral("listen 127.0.0.1:90") + QChar(0) + QStringLiteral("0"),
         QStringLiteral("control character \\x00 at column 20")},
        {"bell in a verb", QStringLiteral("li\astens"),
         QStringLiteral("control character \\x07 at column 3: type commands as plain text")},
        {"empty port", QStringLiteral("listen 127.0.0.1:"), QStringLiteral("port ''")},
        {"empty address", QStringLiteral("connect :"),
         QStringLiteral("invalid address ':': port ''")},
        {"huge sleep", QStringLiteral("sleep 99999999999"), QStringLiteral("'99999999999'")},
        {"huge wait", QStringLiteral("wait LISTEN 9000 2147483648"),
         QStringLiteral("'2147483648'")},
        {"port 0 to wait on", QStringLiteral("wait LISTEN 0"), QStringLiteral("PORT '0'")},
        {"huge after", QStringLiteral("connect 127.0.0.1:9000 then close after 1e9"),
         QStringLiteral("'1e9'")},
        {"nofile too big", QStringLiteral("server 127.0.0.1:0 nofile 1048577"),
         QStringLiteral("nofile '1048577' is not a whole number from 0 to 1048576")},
        {"negative cap", QStringLiteral("server 127.0.0.1:0 policy cap -1"),
         QStringLiteral("'-1'")},
        {"open range", QStringLiteral("close C1.."), QStringLiteral("'C1..'")},
        {"id 2^64", QStringLiteral("status L18446744073709551616"),
         QStringLiteral("is not an object id")},
        {"v6 without brackets", QStringLiteral("listen ::1:9000"), QStringLiteral("'::1:9000'")},
        {"kill signal unknown", QStringLiteral("kill P1 hup"),
         QStringLiteral("kill takes term or kill")},
    };
}

// One answer line, an error naming the problem, short whatever the input.
QString wrongAnswer(const std::optional<ConsoleAnswer> &answer, const QString &mentions)
{
    if (!answer)
        return QStringLiteral("no answer");
    const QString first = answer->firstLine();
    if (answer->lines().size() != 1 || first.contains(QLatin1Char('\r')))
        return QStringLiteral("%1 lines: %2").arg(answer->lines().size()).arg(first.left(200));
    if (!first.startsWith(QLatin1String("error EINVAL ")) || !first.contains(mentions))
        return first.left(kMaxAnswer);
    if (first.size() > kMaxAnswer)
        return QStringLiteral("%1 characters: %2").arg(first.size()).arg(first.left(200));
    return QString();
}

// Runs one command, expecting ok; returns its first line.
QString expectOk(LabConsole &console, const QString &line)
{
    const auto answer = console.execute(line);
    if (!answer)
        return QStringLiteral("no answer to ") + line;
    return answer->firstLine();
}

} // namespace

class TestConsoleInput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { SOCKSCOPE_REQUIRE_NETNS(); }

    void hostileValues_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("mentions");
        for (const BadLine &bad : badLines())
            QTest::newRow(bad.name) << bad.line << bad.mentions;
    }
    void hostileValues()
    {
        QFETCH(QString, line);
        QFETCH(QString, mentions);
        LabConsole console(QStringLiteral(SOCKSCOPE_BINARY));
        const QString wrong = wrongAnswer(console.execute(line), mentions);
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
        const auto next = console.execute(QStringLiteral("fds"));
        QVERIFY(next && next->ok);
    }

    // The whole batch in one console, twice: nothing leaks, nothing stays.
    void hostileBatchLeaksNothing()
    {
        LabConsole console(QStringLiteral(SOCKSCOPE_BINARY));
        QVERIFY(console.execute(QStringLiteral("fds"))->ok);
        const int before = openDescriptorCount();
        for (int round = 0; round < 2; ++round) {
            for (const BadLine &bad : badLines())
                QVERIFY(!console.execute(bad.line)->ok);
        }
        QCOMPARE(openDescriptorCount(), before);
        QCOMPARE(expectOk(console, QStringLiteral("list")), QStringLiteral("ok 0 objects"));
    }

    // What a user does twice or in the wrong order: a clear error, or the
    // documented success, and the objects still work.
    void lifecycleMisuse()
    {
        LabConsole console(QStringLiteral(SOCKSCOPE_BINARY));
        QVERIFY(console.execute(QStringLiteral("fds"))->ok);
        const int before = openDescriptorCount();
        QVERIFY(expectOk(console, QStringLiteral("listen 127.0.0.1:0")).startsWith("ok L1 "));
        const QString port =
            console.lab().listeners().constFirst().bound.port == 0
                ? QString()
                : QString::number(console.lab().listeners().constFirst().bound.port);
        QVERIFY(!port.isEmpty());
        QVERIFY(expectOk(console, QStringLiteral("connect 127.0.0.1:%1").arg(port))
                    .startsWith("ok C1 "));
        QVERIFY(expectOk(console, QStringLiteral("close C1")).startsWith("ok C1 "));
        const QString twice = expectOk(console, QStringLiteral("close C1"));
        QVERIFY2(twice.startsWith("error ") && twice.contains("C1") && twice.contains("closed"),
                 qPrintable(twice));
        // With accept auto, the listener's side closes once the event loop runs.
        QTRY_COMPARE_WITH_TIMEOUT(console.lab().listeners().constFirst().held, 0, 5000);
        QVERIFY(expectOk(console, QStringLiteral("close L1")).startsWith("ok L1 "));
        const QString listenerTwice = expectOk(console, QStringLiteral("close L1"));
        QVERIFY2(listenerTwice.startsWith("error ") && listenerTwice.contains("L1"),
                 qPrintable(listenerTwice));
        // Documented: rebind closes if open and listens again, closed or not.
        const QString rebound = expectOk(console, QStringLiteral("rebind L1"));
        QVERIFY2(rebound.startsWith("ok L1 ") && rebound.contains("listening"),
                 qPrintable(rebound));
        QVERIFY(expectOk(console, QStringLiteral("connect 127.0.0.1:%1").arg(port))
                    .startsWith("ok C2 "));
        const QString unknownServer = expectOk(console, QStringLiteral("kill P1"));
        QVERIFY2(unknownServer.startsWith("error EINVAL ") && unknownServer.contains("P1"),
                 qPrintable(unknownServer));
        console.closeAll();
        QCOMPARE(openDescriptorCount(), before);
    }

    // A v4 connect to a port only [::1] listens on: refused, and the answer
    // says the listener is there in the other family.
    void wrongFamilyIsNamed()
    {
        LabConsole console(QStringLiteral(SOCKSCOPE_BINARY));
        QVERIFY(expectOk(console, QStringLiteral("listen [::1]:0")).startsWith("ok L1 "));
        const QString port = QString::number(console.lab().listeners().constFirst().bound.port);
        const QString refused = expectOk(console, QStringLiteral("connect 127.0.0.1:%1").arg(port));
        QVERIFY2(refused.startsWith("error ECONNREFUSED ") &&
                     refused.contains(QStringLiteral("[::1]:%1 (ipv6)").arg(port)) &&
                     refused.contains("connect to one of them"),
                 qPrintable(refused));
        QVERIFY(
            expectOk(console, QStringLiteral("connect [::1]:%1").arg(port)).startsWith("ok C2 "));
    }

    // Root starts a listener as `nobody`; the lab's listen on that port is
    // told whose it is and what to do.
    void portHeldByAnotherUser()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to start a process as another user (nobody)");
        LabConsole console(QStringLiteral(SOCKSCOPE_BINARY));
        QVERIFY(expectOk(console, QStringLiteral("listen 127.0.0.1:0")).startsWith("ok L1 "));
        const int port = console.lab().listeners().constFirst().bound.port;
        QVERIFY(expectOk(console, QStringLiteral("close L1")).startsWith("ok L1 "));
        QProcess other;
        other.start(QStringLiteral("setpriv"),
                    {QStringLiteral("--reuid=nobody"), QStringLiteral("--regid=nogroup"),
                     QStringLiteral("--clear-groups"), QStringLiteral(SOCKSCOPE_BINARY),
                     QStringLiteral("lab")});
        if (!other.waitForStarted())
            QSKIP("setpriv (util-linux) is not available to start a process as nobody");
        const qint64 pid = other.processId();
        other.write(QStringLiteral("listen 127.0.0.1:%1\n").arg(port).toUtf8());
        QVERIFY(other.waitForReadyRead(10000));
        const QString otherAnswer = QString::fromUtf8(other.readLine());
        if (!otherAnswer.startsWith(QLatin1String("ok ")))
            QSKIP(qPrintable(QStringLiteral("nobody could not run sockscope: ") + otherAnswer +
                             QString::fromUtf8(other.readAllStandardError())));
        const QString taken = expectOk(console, QStringLiteral("listen 127.0.0.1:%1").arg(port));
        other.closeWriteChannel();
        QVERIFY(other.waitForFinished(10000));
        QVERIFY2(taken.startsWith("error EADDRINUSE ") &&
                     taken.contains(QStringLiteral("pid %1").arg(pid)) &&
                     taken.contains("nobody") && taken.contains("another port"),
                 qPrintable(taken));
        QVERIFY(expectOk(console, QStringLiteral("rebind L1")).startsWith("ok L1 "));
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestConsoleInput, QCoreApplication)
#include "tst_consoleinput.moc"
