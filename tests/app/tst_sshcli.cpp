// SPDX-License-Identifier: GPL-3.0-or-later
// `sockscope dump/watch --ssh` through a real sshd (tests/support/sshdrun.h)
// in this test's own network namespace: the "server" is this machine, so its
// sockets can be compared with ss's; its PATH has the build's sockscope, none
// (the ss fallback) or a fake one (garbage, another protocol version).
// Built twice: tst_ssherrors (SOCKSCOPE_SSH_ERRORS) runs the bad remotes, so
// that each test stays short.
#include "loopback.h"
#include "netns.h"
#include "processrun.h"
#include "sshdrun.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTest>
#include <unistd.h>

using namespace sockscope;
using namespace sockscope::test;

namespace {
const QString kBinary = QStringLiteral(SOCKSCOPE_BINARY);

// "STATE local remote" per socket, the ssh connections themselves left out
// (they come and go between the two runs).
QSet<QString> fromJson(const QByteArray &json, int sshPort)
{
    QSet<QString> sockets;
    for (const QJsonValue &value : QJsonDocument::fromJson(json).array()) {
        const QJsonObject s = value.toObject();
        if (s[QLatin1String("local_port")].toInt() == sshPort ||
            s[QLatin1String("remote_port")].toInt() == sshPort)
            continue;
        sockets.insert(QStringLiteral("%1 %2:%3 %4:%5")
                           .arg(s[QLatin1String("state")].toString(),
                                s[QLatin1String("local_address")].toString())
                           .arg(s[QLatin1String("local_port")].toInt())
                           .arg(s[QLatin1String("remote_address")].toString())
                           .arg(s[QLatin1String("remote_port")].toInt()));
    }
    return sockets;
}

QSet<QString> fromSs(const QByteArray &text, int sshPort)
{
    static const QHash<QString, QString> kStates = {
        {QStringLiteral("ESTAB"), QStringLiteral("ESTABLISHED")},
        {QStringLiteral("TIME-WAIT"), QStringLiteral("TIME_WAIT")},
        {QStringLiteral("LISTEN"), QStringLiteral("LISTEN")},
        {QStringLiteral("CLOSE-WAIT"), QStringLiteral("CLOSE_WAIT")},
        {QStringLiteral("FIN-WAIT-2"), QStringLiteral("FIN_WAIT2")}};
    QSet<QString> sockets;
    for (const QByteArray &line : text.split('\n')) {
        const QList<QByteArray> f = line.simplified().split(' ');
        if (f.size() < 5)
            continue;
        const auto split = [](const QByteArray &endpoint) {
            const qsizetype colon = endpoint.lastIndexOf(':');
            QString address = QString::fromLatin1(endpoint.left(colon));
            address.remove(QLatin1Char('[')).remove(QLatin1Char(']'));
            const QByteArray port = endpoint.mid(colon + 1);
            return std::pair{address, port == "*" ? 0 : port.toInt()};
        };
        auto [la, lp] = split(f[3]);
        auto [ra, rp] = split(f[4]);
        if (ra == QLatin1String("*"))
            ra = la.contains(QLatin1Char(':')) ? QStringLiteral("::") : QStringLiteral("0.0.0.0");
        if (lp == sshPort || rp == sshPort)
            continue;
        sockets.insert(
            QStringLiteral("%1 %2:%3 %4:%5")
                .arg(kStates.value(QString::fromLatin1(f[0]), QString::fromLatin1(f[0])), la)
                .arg(lp)
                .arg(ra)
                .arg(rp));
    }
    return sockets;
}

// A fake `sockscope` for the remote PATH, printing `output` as its agent.
QString fakeSockscope(const SshdRun &sshd, const QByteArray &output)
{
    const QString dir = sshd.path(QStringLiteral("fake"));
    QDir().mkpath(dir);
    QFile script(dir + QStringLiteral("/sockscope"));
    script.open(QIODevice::WriteOnly);
    script.write("#!/bin/sh\n[ \"$2\" = --help ] && exit 0\nprintf '%s\\n' '" + output +
                 "'\nsleep 5\n");
    script.close();
    script.setPermissions(script.permissions() | QFileDevice::ExeOwner);
    return dir;
}

struct Dump
{
    ProcessRun run;
    qint64 ms = 0;
};
Dump dumpOver(const SshdRun &sshd, const QString &target, const QStringList &extra = {})
{
    QElapsedTimer clock;
    clock.start();
    Dump dump;
    dump.run = runProcess(kBinary,
                          QStringList{QStringLiteral("dump"), QStringLiteral("--ssh"), target,
                                      QStringLiteral("--ssh-config"), sshd.config()} +
                              extra,
                          20000);
    dump.ms = clock.elapsed();
    return dump;
}
} // namespace

class TestSshCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { SOCKSCOPE_REQUIRE_NETNS(); }

#ifndef SOCKSCOPE_SSH_ERRORS
    void dumpAgreesWithSs_data()
    {
        QTest::addColumn<bool>("agent");
        QTest::newRow("agent") << true;
        QTest::newRow("ss fallback") << false;
    }
    void dumpAgreesWithSs()
    {
        QFETCH(bool, agent);
        SshdRun sshd;
        SOCKSCOPE_START_SSHD_AT(sshd, agent ? QFileInfo(kBinary).absolutePath() : QString());
        const UniqueFd listener = listenOn();
        const std::uint16_t port = localPort(listener.get());
        const ConnectedPair pair = connectPair(listener.get(), port);
        const UniqueFd v6 = listenOn(true);

        const Dump dump = dumpOver(sshd, sshd.host(), {QStringLiteral("--json")});
        QVERIFY2(dump.run.status == 0, dump.run.err.constData());
        const ProcessRun ss = runProcess(QStringLiteral("ss"), {QStringLiteral("-tanH")}, 5000);
        const QSet<QString> remote = fromJson(dump.run.out, sshd.port());
        const QSet<QString> local = fromSs(ss.out, sshd.port());
        QVERIFY2(remote.contains(QStringLiteral("LISTEN 127.0.0.1:%1 0.0.0.0:0").arg(port)),
                 dump.run.out.constData());
        QCOMPARE(remote, local);
        QVERIFY2(
            dump.run.err.contains(agent ? "agent sockscope" : "no sockscope there: reading ss"),
            dump.run.err.constData());
        qInfo("dump --ssh took %lld ms", dump.ms);
    }

    void watchOverSsSaysWhatIsMissing()
    {
        SshdRun sshd;
        SOCKSCOPE_START_SSHD_AT(sshd, QString());
        const UniqueFd listener = listenOn();
        const ProcessRun run =
            runProcess(kBinary,
                       {QStringLiteral("watch"), QStringLiteral("--ssh"), sshd.host(),
                        QStringLiteral("--ssh-config"), sshd.config(), QStringLiteral("--initial"),
                        QStringLiteral("--duration"), QStringLiteral("1500"),
                        QStringLiteral("--port"), QString::number(localPort(listener.get()))},
                       20000);
        QCOMPARE(run.status, 0);
        QVERIFY2(run.err.contains("no tracing over ss: transitions between polls are not seen; "
                                  "no history between polls"),
                 run.err.constData());
        QVERIFY2(run.out.contains("LISTEN"), run.out.constData());
        QCOMPARE(run.out.count('\n'), 1);
    }

    // `lab --ssh`: the server's lab console. The listener is the server's
    // while the console runs, and goes with it at the end of input.
    void labOverSshActsThere()
    {
        SshdRun sshd;
        SOCKSCOPE_START_SSHD(sshd);
        std::uint16_t port = 0;
        {
            const UniqueFd probe = listenOn();
            port = localPort(probe.get());
        }
        QProcess lab;
        lab.start(kBinary,
                  {QStringLiteral("lab"), QStringLiteral("--ssh"), sshd.host(),
                   QStringLiteral("--ssh-config"), sshd.config(), QStringLiteral("--echo")});
        lab.write(QStringLiteral("# a comment, not sent\nlisten 127.0.0.1:%1\nlisten "
                                 "127.0.0.1:%1\n")
                      .arg(port)
                      .toUtf8());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += lab.readAllStandardOutput()).count('\n') >= 4, 20000);
        QVERIFY2(
            out.startsWith(QStringLiteral("> listen 127.0.0.1:%1\nok L1 127.0.0.1:%1 listening")
                               .arg(port)
                               .toUtf8()),
            out.constData());
        QVERIFY2(out.contains("error EADDRINUSE"), out.constData());
        // The server (the same kernel here) holds it while the console runs.
        QCOMPARE(listenOn(false, port).get(), -1);
        lab.closeWriteChannel();
        const ProcessRun run = finishProcess(lab, 20000);
        QVERIFY2(run.status == 0, run.err.constData());
        QVERIFY2(run.err.contains("agent sockscope"), run.err.constData());
        QTRY_VERIFY_WITH_TIMEOUT(listenOn(false, port).get() >= 0, 10000);
    }

    void labOverSsIsRefused()
    {
        SshdRun sshd;
        SOCKSCOPE_START_SSHD_AT(sshd, QString());
        QProcess lab;
        lab.start(kBinary, {QStringLiteral("lab"), QStringLiteral("--ssh"), sshd.host(),
                            QStringLiteral("--ssh-config"), sshd.config()});
        lab.write("list\n");
        const ProcessRun run = finishProcess(lab, 20000);
        QCOMPARE(run.status, 1);
        QVERIFY2(run.err.contains("has no sockscope: its lab needs one there"),
                 run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

    // The AppImage case, with the build's executable standing in for the AppImage:
    // offered on a server without sockscope, then copied and run from its cache.
    void installAgentCopiesThisExecutable()
    {
        SshdRun sshd;
        SOCKSCOPE_START_SSHD_AT(sshd, QString());
        qputenv("APPIMAGE", kBinary.toLocal8Bit());
        const Dump offered = dumpOver(sshd, sshd.host());
        const Dump installed = dumpOver(sshd, sshd.host(), {QStringLiteral("--install-agent")});
        qunsetenv("APPIMAGE");
        QCOMPARE(offered.run.status, 0);
        QVERIFY2(offered.run.err.contains("has no sockscope: run again with --install-agent"),
                 offered.run.err.constData());
        QCOMPARE(installed.run.status, 0);
        QVERIFY2(installed.run.err.contains("agent sockscope"), installed.run.err.constData());
        const QDir cache(sshd.path(QStringLiteral("home/.cache/sockscope")));
        const QStringList versions = cache.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(versions.size(), 1);
        QVERIFY(QFileInfo(cache.filePath(versions.first() + QStringLiteral("/sockscope")))
                    .isExecutable());
        qInfo("install took %lld ms", installed.ms);
    }

#else
    void badRemotesGiveOneClearError_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("refused") << QStringLiteral("refused")
                                 << QStringLiteral("connection refused (no ssh server listens");
        QTest::newRow("host key") << QStringLiteral("hostkey")
                                  << QStringLiteral("does not match the known one (ssh: ");
        QTest::newRow("garbage") << QStringLiteral("garbage")
                                 << QStringLiteral("does not answer with the sockscope agent "
                                                   "protocol: it printed 'Welcome, friend!'");
        QTest::newRow("version") << QStringLiteral("version")
                                 << QStringLiteral("speaks agent protocol 99, this sockscope "
                                                   "speaks 1");
    }
    void badRemotesGiveOneClearError()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        SshdRun sshd;
        QString path;
        QString target = sshd.host();
        if (kind == QLatin1String("garbage") || kind == QLatin1String("version"))
            path = QStringLiteral("fake");
        SOCKSCOPE_START_SSHD_AT(sshd, path.isEmpty() ? QString() : sshd.path(path));
        if (kind == QLatin1String("garbage"))
            fakeSockscope(sshd, "Welcome, friend!");
        if (kind == QLatin1String("version"))
            fakeSockscope(sshd, "{\"sockscope_agent\":99}");
        if (kind == QLatin1String("refused")) {
            std::uint16_t unused = 0;
            {
                const UniqueFd gone = listenOn();
                unused = localPort(gone.get());
            }
            target += QStringLiteral(":%1").arg(unused);
        }
        if (kind == QLatin1String("hostkey")) {
            QFile known(sshd.knownHosts());
            QVERIFY(known.open(QIODevice::WriteOnly | QIODevice::Truncate));
            known.write(
                QStringLiteral("[127.0.0.1]:%1 ssh-ed25519 "
                               "AAAAC3NzaC1lZDI1NTE5AAAAIHm8vqu6bH9YRo8fD0CZtrErIHM+ZsFR6n6e"
                               "6mYLv8ZA\n")
                    .arg(sshd.port())
                    .toUtf8());
        }
        const Dump dump = dumpOver(sshd, target);
        QCOMPARE(dump.run.status, 1);
        QVERIFY2(dump.run.err.contains(expected.toUtf8()), dump.run.err.constData());
        QVERIFY2(dump.ms < 15000, qPrintable(QString::number(dump.ms)));
        QVERIFY(dump.run.out.isEmpty());
        qInfo("%s", dump.run.err.trimmed().constData());
    }
#endif
};

SOCKSCOPE_TEST_MAIN_NETNS(TestSshCli, QCoreApplication)
#include "tst_sshcli.moc"
