// SPDX-License-Identifier: GPL-3.0-or-later
// The one writer of the dump schema: every value survives a JSON parser.
#include "format/socketjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace sockscope;

class TestSocketJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void commandLinesRoundTrip_data()
    {
        QTest::addColumn<QString>("command");
        QTest::newRow("plain") << QStringLiteral("nginx: worker process");
        QTest::newRow("quotes and backslashes")
            << QStringLiteral("sh -c \"echo \\\"hi\\\"\" C:\\path");
        QTest::newRow("control characters")
            << QStringLiteral("a\nb\tc\rd") + QChar(0x01) + QChar(0x1f);
        QTest::newRow("non-ASCII") << QStringLiteral("serveur-é-ü-日本");
        QTest::newRow("surrogate pair")
            << QStringLiteral("app ") + QString::fromUtf8("\xF0\x9F\x9A\x80");
        QTest::newRow("empty") << QString();
    }
    void commandLinesRoundTrip()
    {
        QFETCH(QString, command);
        SocketRecord socket;
        socket.family = Family::IPv6;
        socket.state = TcpState::CloseWait;
        socket.local.address[15] = 1;
        socket.local.port = 10001;
        socket.cookie = 0xFFFFFFFFFFFFFFF0ull;
        socket.info = TcpInfoSummary{1500, 200, 10, 1ull << 40, 7, 0, 0};
        const OwnerLookup owner{Ownership::Owned, {{4242, 7, command}}};
        QByteArray text;
        appendSocketJson(text, socket, &owner);
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(text, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, text.constData());
        QCOMPARE(object.value(QStringLiteral("owners"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("command"))
                     .toString(),
                 command);
        QCOMPARE(object.value(QStringLiteral("cookie")).toString(),
                 QStringLiteral("18446744073709551600"));
        QCOMPARE(object.value(QStringLiteral("local_address")).toString(), QStringLiteral("::1"));
        QCOMPARE(object.value(QStringLiteral("state")).toString(), QStringLiteral("CLOSE_WAIT"));
        QCOMPARE(object.value(QStringLiteral("bytes_acked")).toDouble(), double(1ull << 40));
        QCOMPARE(socketToJson(socket, owner), object);
    }

    void keysFollowTheTable_data()
    {
        QTest::addColumn<bool>("withInfo");
        QTest::newRow("plain") << false;
        QTest::newRow("tcp_info") << true;
    }
    void keysFollowTheTable()
    {
        QFETCH(bool, withInfo);
        SocketRecord socket;
        if (withInfo)
            socket.info = TcpInfoSummary{};
        QByteArray text;
        {
            const OwnerLookup orphaned{Ownership::Orphaned, {}};
            appendSocketJson(text, socket, &orphaned);
        }
        qsizetype last = -1;
        int written = 0;
        for (const SocketJsonKey &key : socketJsonKeys()) {
            const qsizetype at = text.indexOf('"' + QByteArray(key.name) + "\":");
            QCOMPARE(at >= 0, withInfo || !key.tcpInfo);
            if (at < 0)
                continue;
            QVERIFY2(at > last, key.name);
            last = at;
            ++written;
        }
        QCOMPARE(QJsonDocument::fromJson(text).object().size(), written);
    }

    void eventsCarryTheirTimeInState()
    {
        SocketEvent event;
        event.kind = EventKind::Gone;
        event.from = TcpState::TimeWait;
        event.timeMs = 5000;
        event.connection.stateSinceMs = 1200;
        event.connection.id = 3;
        event.connection.socket.state = TcpState::TimeWait;
        const QJsonObject object = eventToJson(event);
        QCOMPARE(object.value(QStringLiteral("time_in_state_ms")).toInteger(), 3800);
        QCOMPARE(object.value(QStringLiteral("to")), QJsonValue(QJsonValue::Null));
        QCOMPARE(object.value(QStringLiteral("connection_id")).toInteger(), 3);
        QCOMPARE(object.value(QStringLiteral("state")).toString(), QStringLiteral("TIME_WAIT"));
    }
};

QTEST_GUILESS_MAIN(TestSocketJson)
#include "tst_socketjson.moc"
