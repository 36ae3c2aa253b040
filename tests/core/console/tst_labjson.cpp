// SPDX-License-Identifier: GPL-3.0-or-later
// The remote lab's lines of the agent protocol (console/labjson.h): what a
// window sends and what an agent answers read back field for field, and bad
// lines refused with the field named.
#include "console/labjson.h"
#include "format/batchjson.h"

#include <QTest>

using namespace sockscope;

namespace {
ConsoleAnswer refusedListen()
{
    Culprit culprit;
    culprit.socket.state = TcpState::CloseWait;
    culprit.socket.local = {{127, 0, 0, 1}, 10001};
    culprit.socket.remote = {{127, 0, 0, 1}, 9000};
    culprit.socket.cookie = 0xfedcba9876543210ULL;
    culprit.socket.inode = 4242;
    culprit.owner.ownership = Ownership::Owned;
    culprit.owner.owners = {{5167, 7, QStringLiteral("python3 server.py")}};
    culprit.description =
        QStringLiteral("the CLOSE_WAIT connection 127.0.0.1:10001 -> 127.0.0.1:9000");
    culprit.whenItEnds = QStringLiteral("it goes away when that process closes it");
    Culprit waiting = culprit;
    waiting.socket.state = TcpState::TimeWait;
    waiting.owner = {};
    waiting.endsInMs = 41234;
    Explanation explanation;
    explanation.errnum = EADDRINUSE;
    explanation.errnoName = QStringLiteral("EADDRINUSE");
    explanation.summary = QStringLiteral("127.0.0.1:10001 is still held");
    explanation.culprits = {culprit, waiting};
    explanation.note = QStringLiteral("ünïcode \"quoted\"\nand a newline");
    ConsoleAnswer answer = ConsoleAnswer::failure(explanation, QStringLiteral("C2"));
    answer.ids = {QStringLiteral("C2")};
    answer.details = {QStringLiteral("detail one"), QString()};
    answer.objects.insert(QStringLiteral("C2"), {QStringLiteral("error EADDRINUSE C2 …"),
                                                 QStringLiteral("failed"), false});
    answer.objects.insert(QStringLiteral("L1.1"),
                          {QStringLiteral("ok L1.1 accepted"), QStringLiteral("open"), true});
    return answer;
}
} // namespace

class TestLabJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requestRoundTrip()
    {
        const QByteArray line =
            labRequestLine({77, QStringLiteral("listen 127.0.0.1:9000 backlog 5")});
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), 1);
        const auto read = parseLabRequest(line.chopped(1));
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        QCOMPARE(read->request, std::uint64_t{77});
        QCOMPARE(read->line, QStringLiteral("listen 127.0.0.1:9000 backlog 5"));
    }

    void answerRoundTripKeepsTheExplanation()
    {
        const ConsoleAnswer sent = refusedListen();
        const QByteArray line = labAnswerLine(12, sent);
        QVERIFY(isLabLine(line));
        QCOMPARE(line.count('\n'), 1); // the note's newline stays inside the JSON string
        const auto read = parseLabLine(line.chopped(1), 3);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        QVERIFY(!read->event);
        QCOMPARE(read->request, std::optional<std::uint64_t>(12));
        const ConsoleAnswer &got = read->answer;
        QCOMPARE(got.firstLine(), sent.firstLine());
        QCOMPARE(got.lines(), sent.lines());
        QCOMPARE(got.ids, sent.ids);
        QCOMPARE(got.objects.keys(), sent.objects.keys());
        QCOMPARE(got.objects.value(QStringLiteral("C2")).ok, false);
        QCOMPARE(got.objects.value(QStringLiteral("L1.1")).state, QStringLiteral("open"));
        QVERIFY(got.explanation);
        QCOMPARE(got.explanation->text(), sent.explanation->text());
        QCOMPARE(got.explanation->note, sent.explanation->note);
        QCOMPARE(got.explanation->culprits.size(), 2);
        const Culprit &first = got.explanation->culprits.first();
        QCOMPARE(first.socket.cookie, 0xfedcba9876543210ULL);
        QCOMPARE(first.socket.state, TcpState::CloseWait);
        QCOMPARE(first.socket.local.port, 10001);
        QCOMPARE(first.owner, sent.explanation->culprits.first().owner);
        QVERIFY(!first.endsInMs);
        QCOMPARE(got.explanation->culprits.last().endsInMs, std::optional<std::int64_t>(41234));
    }

    void eventRoundTrip()
    {
        LabEvent event{123456, QStringLiteral("L1"), QStringLiteral("accept() failed"),
                       refusedListen().explanation};
        const QByteArray line = labEventLine(event);
        QVERIFY(isLabLine(line));
        const auto read = parseLabLine(line.chopped(1), 9);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        QVERIFY(read->event);
        QVERIFY(!read->request);
        QCOMPARE(read->event->timeMs, 123456);
        QCOMPARE(read->event->objectId, QStringLiteral("L1"));
        QCOMPARE(read->event->failure->culprits.size(), 2);
    }

    void batchesAreNotLabLines()
    {
        PollBatch batch;
        batch.timeMs = 1;
        QVERIFY(!isLabLine(batchToJsonLine(batch)));
        QVERIFY(!isLabLine(helloToJsonLine(AgentHello{})));
        QVERIFY(!isLabLine(""));
    }

    void badLinesNameTheProblem_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("said");
        QTest::newRow("not json") << QByteArray("{\"lab_answer\":garbage")
                                  << QStringLiteral("line 5 of the agent's output is not JSON");
        QTest::newRow("no request")
            << QByteArray("{\"lab_answer\":{\"ok\":true}}") << QStringLiteral("no \"request\"");
        QTest::newRow("ok not bool")
            << QByteArray(
                   "{\"lab_answer\":{\"request\":\"1\",\"ok\":1,\"errno\":\"\",\"text\":\"\","
                   "\"details\":[],\"ids\":[],\"objects\":{}}}")
            << QStringLiteral("\"ok\" is not true or false");
        QTest::newRow("ids not strings")
            << QByteArray("{\"lab_answer\":{\"request\":\"1\",\"ok\":true,\"errno\":\"\",\"text\":"
                          "\"\",\"details\":[],\"ids\":[3],\"objects\":{}}}")
            << QStringLiteral("\"ids\" holds a non-string");
        QTest::newRow("event not object")
            << QByteArray("{\"lab_event\":7}") << QStringLiteral("\"lab_event\" is not an object");
        QTest::newRow("other") << QByteArray("{\"lab_other\":{}}")
                               << QStringLiteral("neither a lab answer nor a lab event");
    }

    void badLinesNameTheProblem()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, said);
        const auto read = parseLabLine(line, 5);
        QVERIFY(!read);
        QVERIFY2(read.error().message.contains(said), qPrintable(read.error().message));
        QVERIFY(read.error().message.startsWith(QLatin1String("line 5 of the agent's output")));
    }

    void badRequestsAreRefused()
    {
        for (const QByteArray &line : {QByteArray("listen 127.0.0.1:9000"),
                                       QByteArray("{\"lab_request\":\"x\",\"line\":\"\"}"),
                                       QByteArray("{\"lab_request\":\"1\"}"), QByteArray("[]")}) {
            const auto read = parseLabRequest(line);
            QVERIFY2(!read, line.constData());
            QVERIFY(read.error().message.contains(QLatin1String("lab request")));
        }
    }
};

QTEST_GUILESS_MAIN(TestLabJson)
#include "tst_labjson.moc"
