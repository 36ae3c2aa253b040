// SPDX-License-Identifier: GPL-3.0-or-later
// The socket table's filter alone, over a SocketTableModel fed with batches
// recorded from the real poller (recordedscene.h), under QAbstractItemModelTester.
#include "itemmodels/socketfilterproxy.h"
#include "itemmodels/sockettablemodel.h"
#include "loopback.h"
#include "netns.h"
#include "recordedscene.h"

#include <optional>
#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QTest>

Q_DECLARE_METATYPE(std::optional<std::uint16_t>)
Q_DECLARE_METATYPE(std::optional<sockscope::TcpState>)

using namespace sockscope;
using namespace sockscope::test;

namespace {
// The rows the table shows, as "STATE local peer", sorted.
QStringList shownRows(const SocketFilterProxy &proxy)
{
    QStringList rows;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        QStringList cells;
        for (const int column : {SocketTableModel::StateColumn, SocketTableModel::LocalColumn,
                                 SocketTableModel::RemoteColumn})
            cells << proxy.index(row, column).data().toString();
        rows << cells.join(QLatin1Char(' '));
    }
    rows.sort();
    return rows;
}
} // namespace

class TestSocketFilterProxy : public RecordedSceneTest
{
    Q_OBJECT
private Q_SLOTS:
    // The scene's end: A connected, B half closed, C in TIME_WAIT (its server
    // end gone and, once its highlight is over, removed from the table).
    void filters_data()
    {
        const QString a = QString::number(scene().clientA);
        const QString c = QString::number(scene().clientC);
        const QString listener = QStringLiteral("LISTEN 127.0.0.1:9000 0.0.0.0:0");
        const QString aClient = QStringLiteral("ESTABLISHED 127.0.0.1:%1 127.0.0.1:9000").arg(a);
        const QString aServer = QStringLiteral("ESTABLISHED 127.0.0.1:9000 127.0.0.1:%1").arg(a);
        const QString bClient = QStringLiteral("CLOSE_WAIT 127.0.0.1:10001 127.0.0.1:9000");
        const QString bServer = QStringLiteral("FIN_WAIT2 127.0.0.1:9000 127.0.0.1:10001");
        const QString cClient = QStringLiteral("TIME_WAIT 127.0.0.1:%1 127.0.0.1:9000").arg(c);
        const auto all = [](QStringList rows) {
            rows.sort();
            return rows;
        };
        using Port = std::optional<std::uint16_t>;
        using State = std::optional<TcpState>;
        QTest::addColumn<QString>("words");
        QTest::addColumn<Port>("port");
        QTest::addColumn<State>("state");
        QTest::addColumn<QStringList>("rows");

        QTest::newRow("no filter") << QString() << Port() << State()
                                   << all({listener, aClient, aServer, bClient, bServer, cClient});
        QTest::newRow("words: time_wait :9000")
            << QStringLiteral("time_wait :9000") << Port() << State() << QStringList{cClient};
        QTest::newRow("words: any case")
            << QStringLiteral("Close_Wait") << Port() << State() << QStringList{bClient};
        QTest::newRow("words: :10001 matches either end")
            << QStringLiteral(":10001") << Port() << State() << all({bClient, bServer});
        QTest::newRow("words: all must match")
            << QStringLiteral("time_wait :10001") << Port() << State() << QStringList{};
        QTest::newRow("port 9000: every socket touches it")
            << QString() << Port(9000) << State()
            << all({listener, aClient, aServer, bClient, bServer, cClient});
        QTest::newRow("port 10001: local or remote")
            << QString() << Port(10001) << State() << all({bClient, bServer});
        QTest::newRow("client A's port")
            << QString() << Port(scene().clientA) << State() << all({aClient, aServer});
        QTest::newRow("port without sockets")
            << QString() << Port(9999) << State() << QStringList{};
        QTest::newRow("state ESTABLISHED")
            << QString() << Port() << State(TcpState::Established) << all({aClient, aServer});
        QTest::newRow("port 10001 and state FIN_WAIT2")
            << QString() << Port(10001) << State(TcpState::FinWait2) << QStringList{bServer};
        QTest::newRow("port, state and words")
            << QStringLiteral("10001") << Port(9000) << State(TcpState::CloseWait)
            << QStringList{bClient};
    }
    void filters()
    {
        QFETCH(QString, words);
        QFETCH(std::optional<std::uint16_t>, port);
        QFETCH(std::optional<TcpState>, state);
        QFETCH(QStringList, rows);
        SocketTableModel model;
        std::int64_t now = 0;
        model.setClock([&now] { return now; });
        SocketFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        // Filters set first, rows arriving under them, as in the window.
        proxy.setFilterWords(words);
        proxy.setPortFilter(port);
        proxy.setStateFilter(state);
        for (const PollBatch &batch : scene().batches) {
            now = batch.timeMs;
            model.applyBatch(batch);
        }
        now += SocketTableModel::kHighlightMs;
        model.tick(now);
        QCOMPARE(shownRows(proxy), rows);
        QCOMPARE(proxy.filterWords(), words.simplified());
        QCOMPARE(proxy.portFilter(), port);
        QCOMPARE(proxy.stateFilter(), state);

        // Clearing the filters brings every row back.
        proxy.setFilterWords(QString());
        proxy.setPortFilter(std::nullopt);
        proxy.setStateFilter(std::nullopt);
        QCOMPARE(proxy.rowCount(), model.rowCount());
    }

    // Both ends of a loopback connection, listed apart, sort next to each
    // other among equal keys; the model finds and marks one from the other.
    // The words the table shows for CLOSE find those rows too: "bound" a
    // socket that is only bound, "closed" a connection that closed.
    void findsTheTablesNames()
    {
        SocketTableModel model;
        PollBatch batch;
        const std::pair<std::uint16_t, std::uint16_t> ends[] = {{9555, 0}, {40000, 9000}};
        std::uint64_t id = 0;
        for (const auto &[local, remote] : ends) {
            SocketEvent appeared;
            appeared.to = TcpState::Close;
            appeared.connection.id = ++id;
            appeared.connection.socket = loopbackRecord(id, TcpState::Close, local, remote, 1000);
            batch.events.push_back(appeared);
        }
        model.applyBatch(batch);
        SocketFilterProxy proxy;
        proxy.setSourceModel(&model);
        const auto shownLocal = [&proxy](const QString &words) {
            proxy.setFilterWords(words);
            QStringList local;
            for (int row = 0; row < proxy.rowCount(); ++row)
                local << proxy.index(row, SocketTableModel::LocalColumn).data().toString();
            return local;
        };
        QCOMPARE(shownLocal(QStringLiteral("bound")), QStringList{"127.0.0.1:9555"});
        QCOMPARE(shownLocal(QStringLiteral("closed")), QStringList{"127.0.0.1:40000"});
        QCOMPARE(shownLocal(QStringLiteral("close")).size(), 2);
    }

    void pairsSitTogether()
    {
        SocketTableModel model;
        PollBatch batch;
        const std::pair<std::uint16_t, std::uint16_t> ends[] = {
            {40000, 9000}, {40001, 9000}, {9000, 40000}, {9000, 40001}};
        std::uint64_t id = 0;
        for (const auto &[local, remote] : ends) {
            SocketEvent appeared;
            appeared.to = TcpState::Established;
            appeared.connection.id = ++id;
            appeared.connection.socket =
                loopbackRecord(id, TcpState::Established, local, remote, 1000);
            batch.events.push_back(appeared);
        }
        model.applyBatch(batch);
        SocketFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.sort(SocketTableModel::StateColumn);
        QStringList order;
        for (int row = 0; row < proxy.rowCount(); ++row)
            order << proxy.index(row, SocketTableModel::LocalColumn).data().toString();
        QCOMPARE(order, QStringList({"127.0.0.1:40000", "127.0.0.1:9000", "127.0.0.1:40001",
                                     "127.0.0.1:9000"}));
        QCOMPARE(proxy.index(1, SocketTableModel::RemoteColumn).data().toString(),
                 QStringLiteral("127.0.0.1:40000"));

        QCOMPARE(model.peerRowOf(1), model.rowOf(3));
        QCOMPARE(model.peerRowOf(4), model.rowOf(2));
        model.setPeerMark(3);
        QVERIFY(model.index(model.rowOf(3), 0).data(Qt::BackgroundRole).isValid());
        QVERIFY(!model.index(model.rowOf(4), 0).data(Qt::BackgroundRole).isValid());
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestSocketFilterProxy, QGuiApplication)
#include "tst_socketfilterproxy.moc"
