// SPDX-License-Identifier: GPL-3.0-or-later
// The event log keeps what happened and writes its JSON only when exported.
#include "itemmodels/eventlogmodel.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace sockscope;

namespace {
LabEvent labEvent(std::int64_t timeMs, const QString &text, const QString &errnoName)
{
    LabEvent event{timeMs, QStringLiteral("C2"), text, std::nullopt};
    if (!errnoName.isEmpty()) {
        Explanation failure;
        failure.errnoName = errnoName;
        failure.summary = QStringLiteral("127.0.0.1:10001 is still held");
        event.failure = failure;
    }
    return event;
}

QList<QJsonObject> exported(const EventLogModel &model)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    if (!model.exportJsonLines(&buffer))
        return {};
    QList<QJsonObject> objects;
    for (const QByteArray &line : buffer.data().split('\n')) {
        if (!line.isEmpty())
            objects << QJsonDocument::fromJson(line).object();
    }
    return objects;
}
} // namespace

class TestEventLogExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exportsJsonLines_data()
    {
        QTest::addColumn<QString>("errnoName");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("text");
        QTest::newRow("action") << QString() << "lab"
                                << "connecting from 127.0.0.1:10001";
        QTest::newRow("failure") << QStringLiteral("EADDRINUSE") << "error"
                                 << "connecting from 127.0.0.1:10001: EADDRINUSE: "
                                    "127.0.0.1:10001 is still held";
    }
    void exportsJsonLines()
    {
        QFETCH(QString, errnoName);
        QFETCH(QString, kind);
        QFETCH(QString, text);
        EventLogModel model;
        QAbstractItemModelTester tester(&model);
        PollBatch batch;
        SocketEvent event;
        event.timeMs = 1000;
        event.kind = EventKind::StateChanged;
        event.from = TcpState::Established;
        event.to = TcpState::CloseWait;
        event.connection.id = 7;
        event.connection.socket.state = TcpState::CloseWait;
        event.connection.stateSinceMs = 1000;
        batch.events.push_back(event);
        model.applyBatch(batch);
        model.appendLabEvent(
            labEvent(1500, QStringLiteral("connecting from 127.0.0.1:10001"), errnoName));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.data(model.index(1, EventLogModel::DetailColumn)).toString(), text);

        const QList<QJsonObject> lines = exported(model);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0].value(QStringLiteral("event")).toString(), QStringLiteral("state"));
        QCOMPARE(lines[0].value(QStringLiteral("connection_id")).toInteger(), 7);
        QCOMPARE(lines[0].value(QStringLiteral("time_in_state_ms")).toInteger(), 0);
        QCOMPARE(lines[1].value(QStringLiteral("time_ms")).toInteger(), 1500);
        QCOMPARE(lines[1].value(QStringLiteral("event")).toString(), kind);
        QCOMPARE(lines[1].value(QStringLiteral("object")).toString(), QStringLiteral("C2"));
        QCOMPARE(lines[1].value(QStringLiteral("text")).toString(), text);
        QCOMPARE(lines[1].contains(QStringLiteral("errno")), !errnoName.isEmpty());

        const QList<EventLogModel::LabMention> mentions =
            model.labMentions({QStringLiteral("127.0.0.1:10001")});
        QCOMPARE(mentions.size(), 1);
        QCOMPARE(mentions[0].text, errnoName.isEmpty()
                                       ? QStringLiteral("connecting from 127.0.0.1:10001")
                                       : QStringLiteral("EADDRINUSE · connecting from "
                                                        "127.0.0.1:10001"));
    }
};

QTEST_GUILESS_MAIN(TestEventLogExport)
#include "tst_eventlogexport.moc"
