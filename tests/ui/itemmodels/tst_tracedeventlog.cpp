// SPDX-License-Identifier: GPL-3.0-or-later
// The event log fed with traced events: what the kernel's tracepoints report
// for a connection refused mid-way (a reset each way), turned into events by
// the real ConnectionTracker, under QAbstractItemModelTester.
#include "events/connectiontracker.h"
#include "itemmodels/eventlogmodel.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace sockscope;

namespace {
constexpr std::uint16_t kServer = 9000;
constexpr std::uint16_t kClient = 41000;
constexpr std::int64_t kStartNs = 5'000'000'000; // the first traced event

Endpoint loopback(std::uint16_t port)
{
    Endpoint endpoint;
    endpoint.address = {127, 0, 0, 1};
    endpoint.port = port;
    return endpoint;
}

TraceEvent traced(std::int64_t afterUs, TraceKind kind, TcpState from, TcpState to, bool clientSide,
                  int pid = 0, const QString &command = {})
{
    TraceEvent event;
    event.timeNs = kStartNs + afterUs * 1000;
    event.kind = kind;
    event.from = from;
    event.to = to;
    event.local = loopback(clientSide ? kClient : kServer);
    event.remote = loopback(clientSide ? kServer : kClient);
    event.cookie = clientSide ? 11 : 12;
    event.pid = pid;
    event.command = command;
    return event;
}

// As the kernel reports it on loopback: the client connects (its own
// syscall), the server's side is cloned from the listener at the final ACK;
// then the server aborts (SO_LINGER 0 close): its reset goes out, the client
// receives it first. Every state but the last lasts microseconds.
PollBatch tracedBatch()
{
    ConnectionTracker tracker;
    tracker.setTracing(true);
    tracker.apply({}, kStartNs / 1000000 - 100); // the initial, empty snapshot
    ConnectionTracker::Diff diff;
    using S = TcpState;
    const QString curl = QStringLiteral("curl");
    const QString server = QStringLiteral("server");
    for (const TraceEvent &event : {
             traced(0, TraceKind::StateChange, S::Close, S::SynSent, true, 4242, curl),
             traced(30, TraceKind::StateChange, S::Listen, S::SynRecv, false),
             traced(45, TraceKind::StateChange, S::SynSent, S::Established, true),
             traced(52, TraceKind::StateChange, S::SynRecv, S::Established, false),
             traced(1500, TraceKind::ReceiveReset, S::Established, S::Established, true),
             traced(1502, TraceKind::StateChange, S::Established, S::Close, true),
             traced(1510, TraceKind::SendReset, S::Established, S::Established, false, 777, server),
             traced(1512, TraceKind::StateChange, S::Established, S::Close, false, 777, server),
         })
        tracker.applyTrace(event, diff);
    PollBatch batch;
    batch.timeMs = kStartNs / 1000000 + 30;
    batch.events = std::move(diff.events);
    batch.stats.tracing = true;
    return batch;
}

// A row as the log shows it, every column.
QString rowText(const EventLogModel &model, int row)
{
    QStringList cells;
    for (int column = 0; column < EventLogModel::ColumnCount; ++column)
        cells << model.index(row, column).data().toString();
    return cells.join(QLatin1Char('|'));
}
} // namespace

class TestTracedEventLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Each row a user sees: times to the microsecond from the first event,
    // resets as such with the state they hit, the source, and the process
    // whose syscall made a traced change when no owner is known.
    void rowsOfATracedReset_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<QString>("text");
        const QString client = QStringLiteral("127.0.0.1:41000");
        const QString server = QStringLiteral("127.0.0.1:9000");
        const auto line = [](const QStringList &cells) { return cells.join(QLatin1Char('|')); };
        const QString unknown = QStringLiteral("unknown");
        // The tracker takes the connecting process as the client's owner.
        const QString curl = QStringLiteral("pid 4242 curl");
        QTest::newRow("connect, owned by its process")
            << 0 << line({"0.000000 s", "appeared", "trace", "SYN_SENT", client, server, curl});
        QTest::newRow("accepted side")
            << 1 << line({"0.000030 s", "appeared", "trace", "SYN_RECV", server, client, unknown});
        QTest::newRow("client established")
            << 2
            << line({"0.000045 s", "state", "trace", "SYN_SENT → ESTABLISHED", client, server,
                     curl});
        QTest::newRow("server established")
            << 3
            << line({"0.000052 s", "state", "trace", "SYN_RECV → ESTABLISHED", server, client,
                     unknown});
        QTest::newRow("reset received") << 4
                                        << line({"0.001500 s", "reset received", "trace",
                                                 "in ESTABLISHED", client, server, curl});
        QTest::newRow("reset sent, by the aborting process")
            << 6
            << line({"0.001510 s", "reset sent", "trace", "in ESTABLISHED", server, client,
                     "by pid 777 (server)"});
        QTest::newRow("server gone") << 7
                                     << line({"0.001512 s", "gone", "trace", "was ESTABLISHED",
                                              server, client, QStringLiteral("pid 777 server")});
    }
    void rowsOfATracedReset()
    {
        QFETCH(int, row);
        QFETCH(QString, text);
        EventLogModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.applyBatch(tracedBatch());
        QVERIFY(row < model.rowCount());
        QCOMPARE(rowText(model, row), text);
    }

    // Both ends reset and closed: a reset row is followed by its end, and the
    // resets are what the timeline marks on each connection.
    void resetsAreMarkedPerConnection()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        const PollBatch batch = tracedBatch();
        model.applyBatch(batch);
        QCOMPARE(model.rowCount(), static_cast<int>(batch.events.size()));
        QList<std::uint64_t> ids;
        for (const SocketEvent &event : batch.events) {
            if (!ids.contains(event.connection.id))
                ids << event.connection.id;
        }
        QCOMPARE(ids.size(), 2);
        const QList<EventLogModel::LabMention> client = model.resetMentions(ids.at(0));
        const QList<EventLogModel::LabMention> server = model.resetMentions(ids.at(1));
        QCOMPARE(client.size(), 1);
        QCOMPARE(client.first().text, QStringLiteral("reset received"));
        QCOMPARE(server.size(), 1);
        QCOMPARE(server.first().text, QStringLiteral("reset sent"));
        QCOMPARE(model.resetMentions(0).size(), 0);
    }

    // Export: JSON keeps the core's event names and source; CSV the rows' text.
    void exportsKeepSourceAndResetKinds()
    {
        EventLogModel model;
        model.applyBatch(tracedBatch());
        QBuffer json;
        json.open(QIODevice::WriteOnly);
        QVERIFY(model.exportJsonLines(&json));
        QStringList events;
        for (const QByteArray &line : json.data().split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            QCOMPARE(object.value(QStringLiteral("source")).toString(), QStringLiteral("trace"));
            events << object.value(QStringLiteral("event")).toString();
        }
        QVERIFY(events.contains(QStringLiteral("reset-sent")));
        QVERIFY(events.contains(QStringLiteral("reset-received")));
        QBuffer csv;
        csv.open(QIODevice::WriteOnly);
        QVERIFY(model.exportCsv(&csv));
        const QList<QByteArray> lines = csv.data().split('\n');
        QCOMPARE(lines.first(), QByteArray("time_ms,event,source,change,local,remote,details,"
                                           "connection_id\r"));
        QVERIFY(lines.at(5).startsWith("5001,reset received,trace,in ESTABLISHED,"));
    }
};

QTEST_GUILESS_MAIN(TestTracedEventLog)
#include "tst_tracedeventlog.moc"
