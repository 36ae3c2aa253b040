// SPDX-License-Identifier: GPL-3.0-or-later
// A RemoteSource fed by a fake ssh (a shell script the test writes, printing
// a prepared agent stream): stopping it returns at once and still reaps the
// process and closes its pipes; a big server's batches are parsed off the
// thread the source lives on (the GUI thread in the window); the status bar's
// privilege is the server's. SOCKSCOPE_REMOTE_SOCKETS=100000 runs the stall
// measurement at a big server's size (the figures are printed).
#include "format/batchjson.h"
#include "loopback.h"
#include "remote/remotesource.h"
#include "remote/sessionstitch.h"
#include "util/uniquefd.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <vector>

using namespace sockscope;
using namespace sockscope::test;

namespace {

constexpr int kBatches = 2;

// A fake ssh: prints `stream` then sleeps, ignoring SIGTERM as a hung ssh
// would; its pid goes to PATH.pid.
QString fakeSsh(const QTemporaryDir &dir, const QByteArray &stream)
{
    const QString data = dir.filePath(QStringLiteral("stream"));
    QFile out(data);
    if (!out.open(QIODevice::WriteOnly) || out.write(stream) != stream.size())
        return {};
    out.close();
    const QString program = dir.filePath(QStringLiteral("ssh"));
    QFile script(program);
    if (!script.open(QIODevice::WriteOnly))
        return {};
    script.write(QStringLiteral("#!/bin/sh\ntrap '' TERM\necho $$ > '%1.pid'\ncat '%2'\n"
                                "exec sleep 60\n")
                     .arg(program, data)
                     .toUtf8());
    script.close();
    script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return program;
}

// A fake ssh for a remote lab: prints `first`, waits for one line on its
// standard input (a lab request), then prints `then` and sleeps.
QString fakeLabSsh(const QTemporaryDir &dir, const QByteArray &first, const QByteArray &then)
{
    const QString program = fakeSsh(dir, first);
    const QString rest = dir.filePath(QStringLiteral("then"));
    QFile out(rest);
    if (program.isEmpty() || !out.open(QIODevice::WriteOnly) || out.write(then) != then.size())
        return {};
    out.close();
    QFile script(program);
    if (!script.open(QIODevice::WriteOnly))
        return {};
    script.write(QStringLiteral("#!/bin/sh\ncat '%1'\nread request\ncat '%2'\nexec sleep 60\n")
                     .arg(dir.filePath(QStringLiteral("stream")), rest)
                     .toUtf8());
    return program;
}

QByteArray hello(std::optional<bool> root)
{
    AgentHello value;
    value.version = QStringLiteral("9.9");
    value.hostname = QStringLiteral("fake");
    value.tracing = true;
    value.root = root;
    return helloToJsonLine(value);
}

PollBatch bigBatch(int sockets, std::int64_t timeMs)
{
    PollBatch batch;
    batch.timeMs = timeMs;
    batch.initial = timeMs == 1000;
    for (int i = 0; i < sockets; ++i) {
        ConnectionView view;
        view.id = static_cast<std::uint64_t>(i + 1);
        view.socket = loopbackRecord(view.id, TcpState::Established, 20000 + i % 40000, 9000,
                                     static_cast<std::uint32_t>(100000 + i));
        view.firstSeenMs = 500;
        view.stateSinceMs = 500;
        view.history = {{TcpState::Established, 500, -1}};
        batch.updated.push_back(view);
    }
    return batch;
}

SshTarget fakeTarget()
{
    SshTarget target;
    target.host = QStringLiteral("fake");
    return target;
}

} // namespace

class TestRemoteStream : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // How the window closes a server's tab: dispose() returns at once, though
    // the session waits up to 1 s for an ssh that ignores SIGTERM (deleting
    // the source waited for that on the caller's thread), and then the
    // source, its thread, ssh and every descriptor go on their own.
    void disposeReturnsAtOnceAndFreesEverything()
    {
        QTemporaryDir dir;
        const QString ssh = fakeSsh(dir, hello(true));
        QVERIFY(!ssh.isEmpty());
        const int descriptorsBefore = openDescriptorCount();
        QPointer<RemoteSource> source = new RemoteSource(fakeTarget());
        source->setSshProgram(ssh);
        QSignalSpy connected(source.data(), &RemoteSource::connected);
        source->start();
        QTRY_VERIFY_WITH_TIMEOUT(!connected.isEmpty(), 5000);
        QFile pidFile(ssh + QStringLiteral(".pid"));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const QString proc = QStringLiteral("/proc/%1").arg(pidFile.readAll().trimmed());
        pidFile.close();
        QVERIFY(QFileInfo::exists(proc));

        QElapsedTimer clock;
        clock.start();
        source->dispose();
        const qint64 disposeMs = clock.elapsed();
        qInfo("dispose() returned after %lld ms", disposeMs);
        QVERIFY2(disposeMs < 50, qPrintable(QString::number(disposeMs)));
        QTRY_VERIFY_WITH_TIMEOUT(source.isNull(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(proc), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(openDescriptorCount(), descriptorsBefore, 5000);
        qInfo("all gone %lld ms after dispose()", clock.elapsed());
    }

    // Opened with no descriptor left (the window's lab used them up): no
    // session thread, whose event loop GLib would abort the process for, and
    // a failure that names the fix; closing it still frees it.
    void noDescriptorForTheSessionThread()
    {
        rlimit saved{};
        QVERIFY(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
        std::vector<UniqueFd> spare;
        rlimit low = saved;
        low.rlim_cur = static_cast<rlim_t>(openDescriptorCount() + 4);
        QVERIFY(::setrlimit(RLIMIT_NOFILE, &low) == 0);
        for (int fd = ::eventfd(0, EFD_CLOEXEC); fd >= 0; fd = ::eventfd(0, EFD_CLOEXEC))
            spare.emplace_back(fd); // up to the limit
        QPointer<RemoteSource> source = new RemoteSource(fakeTarget());
        QSignalSpy failed(source.data(), &SocketSource::pollFailed);
        source->start();
        spare.clear();
        QVERIFY(::setrlimit(RLIMIT_NOFILE, &saved) == 0);
        QCOMPARE(failed.count(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QLatin1String("cannot start the ssh session's thread")) &&
                     message.contains(QLatin1String("ulimit -n")),
                 qPrintable(message));
        source->dispose();
        QTRY_VERIFY_WITH_TIMEOUT(source.isNull(), 5000);
    }

    void stopReturnsAtOnceAndReapsTheProcess()
    {
        QTemporaryDir dir;
        const QString ssh = fakeSsh(dir, hello(true));
        QVERIFY(!ssh.isEmpty());
        const int descriptorsBefore = openDescriptorCount();
        {
            RemoteSource source(fakeTarget());
            source.setSshProgram(ssh);
            QSignalSpy connected(&source, &RemoteSource::connected);
            source.start();
            QTRY_VERIFY_WITH_TIMEOUT(!connected.isEmpty(), 5000);
            QFile pidFile(ssh + QStringLiteral(".pid"));
            QVERIFY(pidFile.open(QIODevice::ReadOnly));
            const QString proc = QStringLiteral("/proc/%1").arg(pidFile.readAll().trimmed());
            QVERIFY(QFileInfo::exists(proc));

            QElapsedTimer clock;
            clock.start();
            source.stop();
            const qint64 stopMs = clock.elapsed();
            qInfo("stop() returned after %lld ms", stopMs);
            QVERIFY2(stopMs < 50, qPrintable(QString::number(stopMs)));
            // Gone from /proc: killed and reaped, not a zombie.
            QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(proc), 5000);
            qInfo("reaped %lld ms after stop()", clock.elapsed());
        }
        // Its pipes (and the session thread's) closed with it.
        QTRY_COMPARE_WITH_TIMEOUT(openDescriptorCount(), descriptorsBefore, 5000);
    }

    void bigBatchesAreParsedOffThisThread()
    {
        const int sockets = qEnvironmentVariableIntValue("SOCKSCOPE_REMOTE_SOCKETS") > 0
                                ? qEnvironmentVariableIntValue("SOCKSCOPE_REMOTE_SOCKETS")
                                : 20000;
        QByteArray stream = hello(true);
        for (int i = 0; i < kBatches; ++i)
            stream += batchToJsonLine(bigBatch(sockets, 1000 + i * 1000));
        // What the thread showing them did per batch before the session had
        // a thread of its own: parse the line, stitch it.
        const QByteArray line = batchToJsonLine(bigBatch(sockets, 1000));
        QElapsedTimer parse;
        parse.start();
        auto parsed = parseAgentLine(line.chopped(1), 2);
        QVERIFY(parsed && parsed->batch);
        SessionStitch stitch;
        stitch.beginSession(0);
        const PollBatch stitched = stitch.apply(std::move(*parsed->batch));
        const qint64 parseMs = parse.elapsed();
        QCOMPARE(stitched.updated.size(), std::size_t(sockets));

        QTemporaryDir dir;
        const QString ssh = fakeSsh(dir, stream);
        QVERIFY(!ssh.isEmpty());
        RemoteSource source(fakeTarget());
        source.setSshProgram(ssh);
        std::size_t views = 0;
        int batches = 0;
        connect(&source, &SocketSource::batchReady, this, [&](const PollBatch &batch) {
            views += batch.updated.size();
            ++batches;
        });
        // This thread's longest time away from its event loop: a ticking
        // timer's longest gap while the batches arrive.
        QElapsedTimer sinceTick;
        qint64 longestGapMs = 0;
        QTimer tick;
        tick.setInterval(2);
        connect(&tick, &QTimer::timeout, this,
                [&] { longestGapMs = qMax(longestGapMs, sinceTick.restart()); });
        QElapsedTimer all;
        all.start();
        source.start();
        sinceTick.start();
        tick.start();
        QTRY_VERIFY_WITH_TIMEOUT(batches == kBatches, 60000);
        tick.stop();
        const qint64 allMs = all.elapsed();
        source.stop();
        QCOMPARE(views, std::size_t(sockets) * kBatches);
        qInfo("%d sockets a batch (%lld MB of JSON): parse+stitch %lld ms a batch; %d batches "
              "in %lld ms; this thread's longest stall %lld ms",
              sockets, static_cast<long long>(line.size() >> 20), parseMs, kBatches, allMs,
              longestGapMs);
        // Before: the whole parse, here. Now: receiving the batch only.
        QVERIFY2(
            longestGapMs * 3 < parseMs,
            qPrintable(QStringLiteral("stall %1 ms, parse %2 ms").arg(longestGapMs).arg(parseMs)));
    }

    // A lab answer the window cannot read answers its request all the same
    // (EPROTO, naming the line), and the sockets' stream goes on.
    void malformedLabAnswerStillAnswers()
    {
        AgentHello agent;
        agent.version = QStringLiteral("9.9");
        agent.lab = true;
        QTemporaryDir dir;
        const QString ssh =
            fakeLabSsh(dir, helloToJsonLine(agent) + batchToJsonLine(bigBatch(1, 1000)),
                       QByteArray("{\"lab_answer\":{\"request\":\"1\",\"ok\":\"yes\"}}\n") +
                           batchToJsonLine(bigBatch(2, 2000)));
        QVERIFY(!ssh.isEmpty());
        RemoteSource source(fakeTarget());
        source.setSshProgram(ssh);
        source.setLab(true);
        QSignalSpy connected(&source, &RemoteSource::connected);
        QSignalSpy answers(&source, &RemoteSource::labAnswered);
        QSignalSpy batches(&source, &SocketSource::batchReady);
        QSignalSpy recovered(&source, &SocketSource::pollRecovered);
        source.start();
        QTRY_VERIFY_WITH_TIMEOUT(!connected.isEmpty(), 5000);
        source.submitLab(1, QStringLiteral("list"));
        QTRY_COMPARE_WITH_TIMEOUT(answers.size(), 1, 5000);
        const auto answer = answers.first().at(1).value<ConsoleAnswer>();
        QCOMPARE(answer.errnoName, QStringLiteral("EPROTO"));
        QVERIFY2(answer.text.contains(QLatin1String("line 3 of the agent's output is malformed")),
                 qPrintable(answer.text));
        QTRY_COMPARE_WITH_TIMEOUT(batches.size(), 2, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(recovered.size(), 1, 5000);
        source.stop();
    }

    void privilegeIsTheServers_data()
    {
        QTest::addColumn<QByteArray>("stream");
        QTest::addColumn<QString>("access");
        QTest::newRow("root agent")
            << hello(true) << QStringLiteral("server: root, every owner visible");
        QTest::newRow("unprivileged agent")
            << hello(false)
            << QStringLiteral("server: unprivileged: other users' sockets show owner 'unknown' "
                              "(log in as root to see them)");
        QTest::newRow("older agent")
            << hello(std::nullopt)
            << QStringLiteral("server: privilege not reported (an older agent)");
        QTest::newRow("ss fallback")
            << QByteArray("@@sockscope-ss 1 32768\n")
            << QStringLiteral("ss fallback: no trace, no history between polls");
    }

    void privilegeIsTheServers()
    {
        QFETCH(QByteArray, stream);
        QFETCH(QString, access);
        QTemporaryDir dir;
        const QString ssh = fakeSsh(dir, stream);
        RemoteSource source(fakeTarget());
        source.setSshProgram(ssh);
        QCOMPARE(source.accessSummary(), QStringLiteral("server: connecting"));
        QSignalSpy changed(&source, &SocketSource::accessChanged);
        source.start();
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 5000);
        QCOMPARE(changed.first().first().toString(), access);
        QCOMPARE(source.accessSummary(), access);
        source.stop();
    }
};

QTEST_GUILESS_MAIN(TestRemoteStream)
#include "tst_remotestream.moc"
