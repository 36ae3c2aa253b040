// SPDX-License-Identifier: GPL-3.0-or-later
// The headless front end as a user runs it: the real binary, real sockets.
#include "loopback.h"
#include "netns.h"
#include "processrun.h"

#include <QCoreApplication>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace sockscope::test;
using sockscope::UniqueFd;

namespace {
using Run = sockscope::test::ProcessRun;

Run runSockscope(const QStringList &arguments, int timeoutMs = 15000)
{
    return sockscope::test::runProcess(QStringLiteral(SOCKSCOPE_BINARY), arguments, timeoutMs);
}

QJsonArray dumpJson(const QStringList &extra)
{
    const Run run =
        runSockscope(QStringList{QStringLiteral("dump"), QStringLiteral("--json")} + extra);
    if (run.status != 0)
        return {};
    return QJsonDocument::fromJson(run.out).array();
}
} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dumpJsonHasEveryKey()
    {
        UniqueFd listener = listenOn();
        const std::uint16_t port = localPort(listener.get());
        const QJsonArray sockets = dumpJson({QStringLiteral("--port"), QString::number(port)});
        QCOMPARE(sockets.size(), 1);
        const QJsonObject socket = sockets.first().toObject();
        const QStringList keys = {QStringLiteral("family"),         QStringLiteral("state"),
                                  QStringLiteral("local_address"),  QStringLiteral("local_port"),
                                  QStringLiteral("remote_address"), QStringLiteral("remote_port"),
                                  QStringLiteral("recv_q"),         QStringLiteral("send_q"),
                                  QStringLiteral("timer"),          QStringLiteral("expires_ms"),
                                  QStringLiteral("retrans"),        QStringLiteral("uid"),
                                  QStringLiteral("inode"),          QStringLiteral("cookie"),
                                  QStringLiteral("owner"),          QStringLiteral("owners")};
        for (const QString &key : keys)
            QVERIFY2(socket.contains(key), qPrintable(key));
        QCOMPARE(socket.value(QStringLiteral("family")).toString(), QStringLiteral("ipv4"));
        QCOMPARE(socket.value(QStringLiteral("state")).toString(), QStringLiteral("LISTEN"));
        QCOMPARE(socket.value(QStringLiteral("local_address")).toString(),
                 QStringLiteral("127.0.0.1"));
        QCOMPARE(socket.value(QStringLiteral("local_port")).toInt(), int(port));
        QCOMPARE(socket.value(QStringLiteral("timer")).toString(), QStringLiteral("off"));
        QVERIFY(socket.value(QStringLiteral("cookie")).isString());
        QVERIFY(socket.value(QStringLiteral("cookie")).toString().toULongLong() > 0);
        QCOMPARE(socket.value(QStringLiteral("owner")).toString(), QStringLiteral("owned"));
        const QJsonObject owner =
            socket.value(QStringLiteral("owners")).toArray().first().toObject();
        QCOMPARE(owner.value(QStringLiteral("pid")).toInt(), int(::getpid()));
        QVERIFY(
            owner.value(QStringLiteral("command")).toString().contains(QStringLiteral("tst_cli")));
    }

    void dumpFilters()
    {
        UniqueFd v4 = listenOn();
        UniqueFd v6 = listenOn(true);
        const std::uint16_t port4 = localPort(v4.get());
        const std::uint16_t port6 = localPort(v6.get());
        UniqueFd client = connectTo(port4);
        UniqueFd server = acceptOne(v4.get());
        QVERIFY(client.valid() && server.valid());
        const QJsonArray all = dumpJson({QStringLiteral("--port"), QString::number(port4)});
        QCOMPARE(all.size(), 3);
        const QJsonArray established =
            dumpJson({QStringLiteral("--port"), QString::number(port4), QStringLiteral("--state"),
                      QStringLiteral("established")});
        QCOMPARE(established.size(), 2);
        const QJsonArray listening = dumpJson({QStringLiteral("--port"), QString::number(port6),
                                               QStringLiteral("--family"), QStringLiteral("6")});
        QCOMPARE(listening.size(), 1);
        QCOMPARE(listening.first().toObject().value(QStringLiteral("local_address")).toString(),
                 QStringLiteral("::1"));
        QCOMPARE(listening.first().toObject().value(QStringLiteral("family")).toString(),
                 QStringLiteral("ipv6"));
        QVERIFY(dumpJson({QStringLiteral("--port"), QString::number(port6),
                          QStringLiteral("--family"), QStringLiteral("4")})
                    .isEmpty());
    }

    // Socket for socket, the same population as `ss -tan` (in our namespace,
    // where nothing else opens sockets between the two runs): with owners (the
    // dump is collected first) and without (written as the kernel sends it).
    void dumpAgreesWithSs_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::newRow("owners") << QStringList{};
        QTest::newRow("streamed, --no-owners") << QStringList{QStringLiteral("--no-owners")};
        QTest::newRow("sorted") << QStringList{QStringLiteral("--sort")};
    }
    void dumpAgreesWithSs()
    {
        QFETCH(QStringList, extra);
        SOCKSCOPE_REQUIRE_NETNS();
        const QString ss = QStandardPaths::findExecutable(QStringLiteral("ss"));
        if (ss.isEmpty())
            QSKIP("ss (iproute2) is not installed");
        std::vector<UniqueFd> keep;
        for (int i = 0; i < 3; ++i) {
            UniqueFd listener = listenOn(i == 2);
            const std::uint16_t port = localPort(listener.get());
            for (int c = 0; c < 5; ++c) {
                keep.push_back(connectTo(port, i == 2));
                keep.push_back(acceptOne(listener.get()));
            }
            keep.push_back(std::move(listener));
        }
        keep[0].reset(); // a FIN_WAIT2/CLOSE_WAIT pair too
        QSet<QString> ours;
        for (const QJsonValue &value : dumpJson(extra)) {
            const QJsonObject o = value.toObject();
            QCOMPARE(o.contains(QStringLiteral("owners")), !extra.contains(u"--no-owners"_qs));
            ours << QStringLiteral("%1 %2:%3 %4:%5")
                        .arg(o.value(QStringLiteral("state")).toString(),
                             o.value(QStringLiteral("local_address")).toString())
                        .arg(o.value(QStringLiteral("local_port")).toInt())
                        .arg(o.value(QStringLiteral("remote_address")).toString())
                        .arg(o.value(QStringLiteral("remote_port")).toInt());
        }
        QProcess process;
        process.start(ss, {QStringLiteral("-tanH")});
        QVERIFY(process.waitForFinished(10000));
        QSet<QString> theirs;
        for (const QByteArray &line : process.readAllStandardOutput().split('\n')) {
            const QList<QByteArray> f = line.simplified().split(' ');
            if (f.size() < 5)
                continue;
            QString state = QString::fromLatin1(f[0]).replace(QLatin1Char('-'), QLatin1Char('_'));
            if (state == QLatin1String("LISTEN") || state.startsWith(QLatin1String("UNCONN")))
                state = QStringLiteral("LISTEN");
            state.replace(QStringLiteral("FIN_WAIT_"), QStringLiteral("FIN_WAIT"));
            if (state == QLatin1String("ESTAB"))
                state = QStringLiteral("ESTABLISHED");
            auto endpoint = [](QString text) {
                const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
                QString address =
                    text.left(colon).remove(QLatin1Char('[')).remove(QLatin1Char(']'));
                if (address == QLatin1String("*"))
                    address = QStringLiteral("0.0.0.0");
                return QStringLiteral("%1:%2").arg(
                    address, text.mid(colon + 1) == QLatin1String("*") ? QStringLiteral("0")
                                                                       : text.mid(colon + 1));
            };
            theirs << QStringLiteral("%1 %2 %3")
                          .arg(state, endpoint(QString::fromLatin1(f[3])),
                               endpoint(QString::fromLatin1(f[4])));
        }
        QVERIFY(ours.size() >= 33);
        const QStringList onlyOurs = QSet(ours).subtract(theirs).values();
        const QStringList onlyTheirs = QSet(theirs).subtract(ours).values();
        QVERIFY2(onlyOurs.isEmpty() && onlyTheirs.isEmpty(),
                 qPrintable(QStringLiteral("only in dump: %1; only in ss: %2")
                                .arg(onlyOurs.join(QStringLiteral(", ")),
                                     onlyTheirs.join(QStringLiteral(", ")))));
    }

    // The table as a user reads it: a header, then one line per socket, in the
    // same count as ss, with the owner column only when owners were read.
    void dumpTableLines()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        UniqueFd listener = listenOn();
        const std::uint16_t port = localPort(listener.get());
        std::vector<UniqueFd> keep;
        for (int c = 0; c < 20; ++c) {
            keep.push_back(connectTo(port));
            keep.push_back(acceptOne(listener.get()));
        }
        const QStringList onPort = {QStringLiteral("--port"), QString::number(port)};
        const Run streamed = runSockscope(
            QStringList{QStringLiteral("dump"), QStringLiteral("--no-owners")} + onPort);
        const Run owned = runSockscope(QStringList{QStringLiteral("dump")} + onPort);
        QCOMPARE(streamed.status, 0);
        QCOMPARE(owned.status, 0);
        const QList<QByteArray> lines = streamed.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 1 + 41);
        QVERIFY(lines.first().startsWith("State "));
        QVERIFY(!lines.first().contains("Owner"));
        const QList<QByteArray> ownedLines = owned.out.trimmed().split('\n');
        QCOMPARE(ownedLines.size(), 1 + 41);
        QVERIFY(ownedLines.first().endsWith("Owner"));
        const QByteArray self = "pid " + QByteArray::number(::getpid());
        QCOMPARE(ownedLines.count(ownedLines.first()), 1);
        int ours = 0;
        for (const QByteArray &line : ownedLines)
            ours += line.contains(self);
        QCOMPARE(ours, 41);
    }

    // `dump` and `watch` start without Qt Gui, Widgets or X11: they are
    // command-line tools, and loading those costs a short run most of its time.
    void commandLineModesLoadNoGuiLibraries()
    {
        QProcess watch;
        watch.start(QStringLiteral(SOCKSCOPE_BINARY),
                    {QStringLiteral("watch"), QStringLiteral("--no-trace")});
        QVERIFY(watch.waitForStarted(5000));
        QFile maps(QStringLiteral("/proc/%1/maps").arg(watch.processId()));
        QByteArray mapped;
        QTRY_VERIFY_WITH_TIMEOUT(
            (maps.open(QIODevice::ReadOnly) ? (mapped = maps.readAll(), maps.close()) : void(),
             mapped.contains("libQt6Core")),
            10000);
        for (const char *library : {"libQt6Gui", "libQt6Widgets", "libX11", "libxcb"})
            QVERIFY2(!mapped.contains(library), library);
        watch.kill();
        watch.waitForFinished(5000);
    }

    void badArgumentsExitTwoWithOneLine_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("port too big")
            << QStringList{QStringLiteral("dump"), QStringLiteral("--port"),
                           QStringLiteral("70000")}
            << QStringLiteral("70000");
        QTest::newRow("port not a number")
            << QStringList{QStringLiteral("dump"), QStringLiteral("--port"), QStringLiteral("http")}
            << QStringLiteral("http");
        QTest::newRow("bogus state")
            << QStringList{QStringLiteral("dump"), QStringLiteral("--state"),
                           QStringLiteral("BOGUS")}
            << QStringLiteral("BOGUS");
        QTest::newRow("bad family")
            << QStringList{QStringLiteral("dump"), QStringLiteral("--family"), QStringLiteral("5")}
            << QStringLiteral("5");
        QTest::newRow("interval zero")
            << QStringList{QStringLiteral("watch"), QStringLiteral("--interval"),
                           QStringLiteral("0")}
            << QStringLiteral("interval");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("dump"), QStringLiteral("--frobnicate")}
            << QStringLiteral("frobnicate");
        QTest::newRow("missing value")
            << QStringList{QStringLiteral("dump"), QStringLiteral("--port")}
            << QStringLiteral("port");
        QTest::newRow("window: unknown command")
            << QStringList{QStringLiteral("dumpp")} << QStringLiteral("dumpp");
        QTest::newRow("window: bad size")
            << QStringList{QStringLiteral("--screenshot"), QStringLiteral("/tmp/x.png"),
                           QStringLiteral("--size"), QStringLiteral("huge")}
            << QStringLiteral("huge");
        QTest::newRow("window: unknown state to select")
            << QStringList{QStringLiteral("--screenshot"), QStringLiteral("/tmp/x.png"),
                           QStringLiteral("--select-state"), QStringLiteral("CLOSED_WAIT")}
            << QStringLiteral("CLOSED_WAIT");
        QTest::newRow("window: select without screenshot")
            << QStringList{QStringLiteral("--select-ended")} << QStringLiteral("--screenshot");
    }
    void badArgumentsExitTwoWithOneLine()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        SOCKSCOPE_REQUIRE_WINDOW_FOR_WINDOW_ROWS();
        const Run run = runSockscope(arguments);
        QCOMPARE(run.status, 2);
        const QString err = QString::fromLocal8Bit(run.err).trimmed();
        QCOMPARE(err.count(QLatin1Char('\n')), 0);
        QVERIFY2(err.contains(mentions), qPrintable(err));
        QVERIFY(run.out.isEmpty());
    }

    // Who may not trace still watches, by polling, and is told what is missed
    // and how to get it; --no-trace asks for the same on purpose.
    void watchFallsBackToPolling_data()
    {
        QTest::addColumn<bool>("unprivileged");
        QTest::addColumn<QString>("says");
        QTest::newRow("--no-trace") << false << "tracing turned off";
        QTest::newRow("unprivileged user") << true << "cap_bpf";
    }
    void watchFallsBackToPolling()
    {
        QFETCH(bool, unprivileged);
        QFETCH(QString, says);
        const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
        if (unprivileged && (::geteuid() != 0 || setpriv.isEmpty()))
            QSKIP("needs root and setpriv (util-linux) to run watch as user nobody");
        const QStringList watch = {QStringLiteral(SOCKSCOPE_BINARY), QStringLiteral("watch"),
                                   QStringLiteral("--duration"), QStringLiteral("1500")};
        const Run run =
            unprivileged ? runProcess(setpriv,
                                      QStringList{QStringLiteral("--reuid=65534"),
                                                  QStringLiteral("--regid=65534"),
                                                  QStringLiteral("--clear-groups")} +
                                          watch,
                                      15000)
                         : runSockscope(watch.mid(1) + QStringList{QStringLiteral("--no-trace")});
        const QString err = QString::fromLocal8Bit(run.err);
        QCOMPARE(run.status, 0);
        QVERIFY2(err.contains(QLatin1String("Polling")) && err.contains(says), qPrintable(err));
        QVERIFY2(!err.contains(QLatin1String("tracing every transition")), qPrintable(err));
    }

    void watchStreamsJsonEvents()
    {
        UniqueFd listener = listenOn();
        const std::uint16_t port = localPort(listener.get());
        QProcess watch;
        watch.start(QStringLiteral(SOCKSCOPE_BINARY),
                    {QStringLiteral("watch"), QStringLiteral("--json"), QStringLiteral("--port"),
                     QString::number(port), QStringLiteral("--interval"), QStringLiteral("20")});
        QVERIFY(watch.waitForStarted());
        // Its first snapshot (initial, not printed) must not include the client:
        // it says on stderr how it watches once that snapshot is taken.
        QByteArray notice;
        QTRY_VERIFY_WITH_TIMEOUT((notice += watch.readAllStandardError()).contains("sockscope: "),
                                 10000);
        UniqueFd client = connectTo(port);
        UniqueFd server = acceptOne(listener.get());
        QVERIFY(client.valid() && server.valid());
        QByteArray output;
        QTRY_VERIFY_WITH_TIMEOUT((output += watch.readAllStandardOutput()).count('\n') >= 2, 5000);
        server.reset();
        QTRY_VERIFY_WITH_TIMEOUT((output += watch.readAllStandardOutput()).contains("CLOSE_WAIT"),
                                 5000);
        watch.terminate(); // SIGTERM: a clean exit
        QVERIFY(watch.waitForFinished(5000));
        QCOMPARE(watch.exitCode(), 0);
        bool sawAppeared = false;
        bool sawCloseWait = false;
        for (const QByteArray &line : output.split('\n')) {
            if (line.isEmpty())
                continue;
            QJsonParseError error;
            const QJsonObject event = QJsonDocument::fromJson(line, &error).object();
            QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
            QVERIFY(event.contains(QStringLiteral("time_ms")));
            QVERIFY(event.contains(QStringLiteral("from")) && event.contains(QStringLiteral("to")));
            QVERIFY(event.value(QStringLiteral("local_port")).toInt() == port ||
                    event.value(QStringLiteral("remote_port")).toInt() == port);
            sawAppeared |=
                event.value(QStringLiteral("event")).toString() == QLatin1String("appeared");
            sawCloseWait |=
                event.value(QStringLiteral("event")).toString() == QLatin1String("state") &&
                event.value(QStringLiteral("to")).toString() == QLatin1String("CLOSE_WAIT");
        }
        QVERIFY(sawAppeared);
        QVERIFY(sawCloseWait);
    }

    void screenshotHasTheRequestedSize()
    {
        SOCKSCOPE_REQUIRE_WINDOW();
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("window.png"));
        const Run run = runSockscope({QStringLiteral("--screenshot"), file,
                                      QStringLiteral("--size"), QStringLiteral("1000x700")},
                                     30000);
        QCOMPARE(run.status, 0);
        const QImage image(file);
        QCOMPARE(image.size(), QSize(1000, 700));
        // Not a blank window: the table and the diagram drew something.
        QVERIFY(image.pixel(500, 350) != image.pixel(2, 2) ||
                image.pixel(300, 200) != image.pixel(2, 2));
        const Run tiny = runSockscope({QStringLiteral("--screenshot"), file,
                                       QStringLiteral("--size"), QStringLiteral("300x200")},
                                      30000);
        QCOMPARE(tiny.status, 2);
        QVERIFY(tiny.err.contains("at least"));
    }

    void commandHelp()
    {
        const Run help = runSockscope({QStringLiteral("dump"), QStringLiteral("--help")});
        QCOMPARE(help.status, 0);
        QVERIFY(help.out.contains("--port"));
        // What a user types, not the executable's path.
        QVERIFY2(help.out.startsWith("Usage: sockscope dump [options]"), help.out.constData());
    }

    // The window module answers what is not a command: --version, --help.
    void versionAndWindowHelp()
    {
        SOCKSCOPE_REQUIRE_WINDOW();
        const Run version = runSockscope({QStringLiteral("--version")});
        QCOMPARE(version.status, 0);
        QVERIFY(version.out.startsWith("sockscope "));
        const Run windowHelp = runSockscope({QStringLiteral("--help")});
        QCOMPARE(windowHelp.status, 0);
        QVERIFY2(windowHelp.out.startsWith("Usage: sockscope [options]"),
                 windowHelp.out.constData());
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestCli, QCoreApplication)
#include "tst_cli.moc"
