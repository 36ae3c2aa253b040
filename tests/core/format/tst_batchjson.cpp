// SPDX-License-Identifier: GPL-3.0-or-later
// The agent protocol both ways: a batch read back equals the batch written,
// and every kind of bad line is refused with an error naming its line.
#include "format/batchjson.h"

#include <arpa/inet.h>
#include <QTest>

using namespace sockscope;

namespace {
ConnectionView connection(std::uint64_t id, TcpState state)
{
    ConnectionView view;
    view.id = id;
    view.socket.family = Family::IPv6;
    view.socket.state = state;
    inet_pton(AF_INET6, "::1", view.socket.local.address.data());
    view.socket.local.port = 9000;
    inet_pton(AF_INET6, "2001:db8::7", view.socket.remote.address.data());
    view.socket.remote.port = 51234;
    view.socket.cookie = 0xfedcba9876543210ULL;
    view.socket.timer = TimerKind::Keepalive;
    view.socket.expiresMs = 7200000;
    view.socket.inode = 4242;
    view.owner.ownership = Ownership::Owned;
    view.owner.owners.append({812, 3, QStringLiteral("nginx: worker \"1\"")});
    view.firstSeenMs = 1000;
    view.stateSinceMs = 1500;
    view.history = {{TcpState::SynSent, 1000, 1500}, {state, 1500, -1}};
    return view;
}
} // namespace

class TestBatchJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void batchReadsBackAsWritten()
    {
        PollBatch batch;
        batch.timeMs = 123456789012LL;
        batch.initial = true;
        SocketEvent event;
        event.timeMs = 1500;
        event.timeNs = 1500123456;
        event.kind = EventKind::StateChanged;
        event.source = EventSource::Trace;
        event.from = TcpState::SynSent;
        event.to = TcpState::Established;
        event.pid = 77;
        event.command = QStringLiteral("curl");
        event.connection = connection(5, TcpState::Established);
        batch.events.push_back(event);
        batch.updated.push_back(connection(6, TcpState::CloseWait));
        batch.stats.tracing = false;
        batch.stats.traceNotice = QStringLiteral("polling: no root");
        batch.stats.ephemeralPortStart = 40000;
        batch.stats.traceDrops = 3;
        batch.stats.traceSkipped = 2;

        const QByteArray line = batchToJsonLine(batch);
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), 1);
        const auto read = parseAgentLine(line.chopped(1), 2);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        QVERIFY(read->batch && !read->hello);
        const PollBatch &back = *read->batch;
        QCOMPARE(back.timeMs, batch.timeMs);
        QVERIFY(back.initial);
        QCOMPARE(back.stats.traceNotice, batch.stats.traceNotice);
        QCOMPARE(back.stats.ephemeralPortStart, 40000);
        QCOMPARE(back.stats.traceDrops, 3u);
        QCOMPARE(back.stats.traceSkipped, 2u);
        // An older agent's line has no "trace_skipped": read as none.
        QByteArray older = line.chopped(1);
        older.replace("\"trace_skipped\":\"2\",", "");
        QVERIFY(!older.contains("trace_skipped"));
        const auto fromOlder = parseAgentLine(older, 2);
        QVERIFY2(fromOlder, qPrintable(fromOlder ? QString() : fromOlder.error().message));
        QCOMPARE(fromOlder->batch->stats.traceSkipped, 0u);
        QCOMPARE(back.events.size(), std::size_t(1));
        const SocketEvent &e = back.events[0];
        QCOMPARE(e.timeNs, event.timeNs);
        QVERIFY(e.kind == EventKind::StateChanged && e.source == EventSource::Trace);
        QVERIFY(e.from == TcpState::SynSent && e.to == TcpState::Established);
        QCOMPARE(e.pid, 77);
        QCOMPARE(e.command, QStringLiteral("curl"));
        const ConnectionView &view = e.connection;
        QCOMPARE(view.id, 5u);
        QCOMPARE(view.socket.cookie, 0xfedcba9876543210ULL);
        QVERIFY(view.socket.local == event.connection.socket.local);
        QVERIFY(view.socket.remote == event.connection.socket.remote);
        QVERIFY(view.socket.timer == TimerKind::Keepalive);
        QCOMPARE(view.socket.expiresMs, 7200000u);
        QVERIFY(view.owner == event.connection.owner);
        QCOMPARE(view.history.size(), 2);
        QCOMPARE(view.history[1].leftMs, -1);
        QVERIFY(view.history[0].state == TcpState::SynSent);
        QCOMPARE(back.updated.size(), std::size_t(1));
        QVERIFY(back.updated[0].socket.state == TcpState::CloseWait);
    }

    void helloReadsBack()
    {
        AgentHello hello;
        hello.version = QStringLiteral("0.1.0");
        hello.hostname = QStringLiteral("server");
        hello.kernel = QStringLiteral("6.1.0");
        hello.tracing = true;
        const auto read = parseAgentLine(helloToJsonLine(hello), 1);
        QVERIFY(read && read->hello);
        QCOMPARE(read->hello->hostname, QStringLiteral("server"));
        QVERIFY(read->hello->tracing);
        // An agent without the lab, or older than its fields, says neither.
        QVERIFY(!read->hello->lab);
        QCOMPARE(read->hello->pid, 0);
        hello.lab = true;
        hello.pid = 4242;
        const auto withLab = parseAgentLine(helloToJsonLine(hello), 1);
        QVERIFY(withLab && withLab->hello);
        QVERIFY(withLab->hello->lab);
        QCOMPARE(withLab->hello->pid, 4242);
    }

    void badLinesNameTheirLineAndProblem_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("expected");
        QTest::newRow("garbage") << QByteArray("Welcome to Ubuntu 22.04!")
                                 << QStringLiteral("line 3 of the agent's output is not the "
                                                   "sockscope agent protocol: it starts "
                                                   "'Welcome to Ubuntu 22.04!'");
        QTest::newRow("version")
            << QByteArray("{\"sockscope_agent\":99}")
            << QStringLiteral("line 3 of the agent's output speaks agent protocol 99, this "
                              "sockscope speaks 1: install the same sockscope version on both "
                              "ends");
        QTest::newRow("other json")
            << QByteArray("{\"hello\":1}") << QStringLiteral("neither a hello nor a batch");
        QTest::newRow("missing field")
            << QByteArray("{\"batch\":\"1\",\"initial\":true,\"events\":[],\"updated\":[]}")
            << QStringLiteral("is malformed: no \"stats\"");
        QTest::newRow("bad state")
            << QByteArray("{\"batch\":\"1\",\"initial\":false,\"stats\":{},\"events\":[],"
                          "\"updated\":[{\"id\":\"1\",\"socket\":{\"state\":\"DANCING\"}}]}")
            << QStringLiteral("is malformed: no \"poll\"");
        QTest::newRow("control characters")
            << QByteArray("\x1b[31mred\x00", 9) << QStringLiteral("\\x1b[31mred\\x00");
    }
    void badLinesNameTheirLineAndProblem()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, expected);
        const auto read = parseAgentLine(line, 3);
        QVERIFY(!read);
        QVERIFY2(read.error().message.contains(expected), qPrintable(read.error().message));
        QVERIFY(read.error().message.startsWith(QLatin1String("line 3 ")));
    }
};

QTEST_GUILESS_MAIN(TestBatchJson)
#include "tst_batchjson.moc"
