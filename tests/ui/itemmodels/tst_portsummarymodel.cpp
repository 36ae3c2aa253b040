// SPDX-License-Identifier: GPL-3.0-or-later
// The ports pane's model alone, fed with batches recorded from the real poller
// (recordedscene.h), under QAbstractItemModelTester.
#include "itemmodels/portsummarymodel.h"
#include "netns.h"
#include "recordedscene.h"

#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QTest>

using namespace sockscope;
using namespace sockscope::test;

namespace {
// A row as the pane shows it: "9000 listening, all 5: LSN 1 EST 4", the state
// columns that have a count, in column order.
QString rowText(const PortSummaryModel &model, int row)
{
    QStringList counts;
    for (int column = PortSummaryModel::FirstStateColumn; column < model.columnCount(); ++column) {
        const QString count = model.index(row, column).data().toString();
        if (!count.isEmpty())
            counts << model.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString() +
                          QLatin1Char(' ') + count;
    }
    const QModelIndex port = model.index(row, PortSummaryModel::PortColumn);
    return QStringLiteral("%1%2, all %3: %4")
        .arg(port.data().toString(),
             port.data(PortSummaryModel::ListeningRole).toBool() ? QStringLiteral(" listening")
                                                                 : QString(),
             model.index(row, PortSummaryModel::TotalColumn).data().toString(),
             counts.join(QLatin1Char(' ')));
}
} // namespace

class TestPortSummaryModel : public RecordedSceneTest
{
    Q_OBJECT
private Q_SLOTS:
    // After each step of the scene, one row per port that matters, listening
    // ports first; a loopback connection counts for both of its ends.
    void rowsAfterEachStep_data()
    {
        QTest::addColumn<int>("step");
        QTest::addColumn<QStringList>("rows");
        QTest::newRow("0 listener") << 0 << QStringList{"9000 listening, all 1: LSN 1"};
        QTest::newRow("1 two clients connected")
            << 1 << QStringList{"9000 listening, all 5: LSN 1 EST 4", "10001, all 2: EST 2"};
        QTest::newRow("2 server closed B")
            << 2
            << QStringList{"9000 listening, all 5: LSN 1 EST 2 FW2 1 CW 1",
                           "10001, all 2: FW2 1 CW 1"};
        QTest::newRow("3 third client")
            << 3
            << QStringList{"9000 listening, all 7: LSN 1 EST 4 FW2 1 CW 1",
                           "10001, all 2: FW2 1 CW 1"};
        QTest::newRow("4 C closed first")
            << 4
            << QStringList{"9000 listening, all 6: LSN 1 EST 2 FW2 1 TW 1 CW 1",
                           "10001, all 2: FW2 1 CW 1"};
    }
    void rowsAfterEachStep()
    {
        QFETCH(int, step);
        QFETCH(QStringList, rows);
        PortSummaryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        for (int i = 0; i <= step; ++i)
            model.applyBatch(scene().batches.at(static_cast<std::size_t>(i)));
        QStringList shown;
        for (int row = 0; row < model.rowCount(); ++row)
            shown << rowText(model, row);
        QCOMPARE(shown, rows);
    }

    // What the state diagram asks for the selected port, and the pane's
    // sort key: listening ports before the others.
    void countsForAPort_data()
    {
        QTest::addColumn<int>("port");
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("count");
        QTest::newRow("9000 LISTEN") << 9000 << int(TcpState::Listen) << 1;
        QTest::newRow("9000 ESTABLISHED") << 9000 << int(TcpState::Established) << 2;
        QTest::newRow("9000 TIME_WAIT") << 9000 << int(TcpState::TimeWait) << 1;
        QTest::newRow("10001 CLOSE_WAIT") << 10001 << int(TcpState::CloseWait) << 1;
        QTest::newRow("10001 LISTEN") << 10001 << int(TcpState::Listen) << 0;
        QTest::newRow("client A's ephemeral port has no row")
            << int(scene().clientA) << int(TcpState::Established) << 0;
    }
    void countsForAPort()
    {
        QFETCH(int, port);
        QFETCH(int, state);
        QFETCH(int, count);
        PortSummaryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        for (const PollBatch &batch : scene().batches)
            model.applyBatch(batch);
        const auto p = static_cast<std::uint16_t>(port);
        QCOMPARE(model.countsFor(p).at(static_cast<std::size_t>(state)), count);
        QCOMPARE(model.rowOf(p) >= 0, port == 9000 || port == 10001);
    }

    void listeningPortsSortFirst()
    {
        PortSummaryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        for (const PollBatch &batch : scene().batches)
            model.applyBatch(batch);
        const auto sortKey = [&](std::uint16_t port) {
            return model.index(model.rowOf(port), PortSummaryModel::PortColumn)
                .data(PortSummaryModel::SortRole)
                .toInt();
        };
        QVERIFY(sortKey(9000) < sortKey(10001));
    }

    // Counts move with each batch's connections rather than a recount; a
    // listener opening or closing a port (which changes which ports matter)
    // must leave the rows exactly as a recount from scratch would.
    void incrementalCountsEqualARecount()
    {
        PortSummaryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QHash<std::uint64_t, ConnectionView> live;
        const auto event = [](EventKind kind, std::uint64_t id, TcpState state, std::uint16_t local,
                              std::uint16_t remote) {
            SocketEvent e;
            e.kind = kind;
            e.connection.id = id;
            e.connection.socket.state = state;
            e.connection.socket.local.port = local;
            e.connection.socket.remote.port = remote;
            return e;
        };
        const auto rows = [](const PortSummaryModel &m) {
            QStringList texts;
            for (int row = 0; row < m.rowCount(); ++row)
                texts << rowText(m, row);
            texts.sort();
            return texts;
        };
        const auto recounted = [&] {
            PortSummaryModel fresh;
            PollBatch all;
            for (const ConnectionView &view : std::as_const(live)) {
                SocketEvent e;
                e.connection = view;
                all.events.push_back(e);
            }
            fresh.applyBatch(all);
            return rows(fresh);
        };
        const QList<std::vector<SocketEvent>> steps{
            // Ephemeral to ephemeral: counted for the local end only.
            {event(EventKind::Appeared, 1, TcpState::Established, 40000, 50000),
             event(EventKind::Appeared, 2, TcpState::Established, 9000, 40001)},
            // A listener on 50000: connection 1 now counts for it too.
            {event(EventKind::Appeared, 3, TcpState::Listen, 50000, 0),
             event(EventKind::StateChanged, 2, TcpState::CloseWait, 9000, 40001)},
            {event(EventKind::Appeared, 4, TcpState::Established, 50000, 40002),
             event(EventKind::Gone, 2, TcpState::CloseWait, 9000, 40001)},
            // The listener closes: 50000 matters again only as chosen ports do.
            {event(EventKind::Gone, 3, TcpState::Listen, 50000, 0)},
            {event(EventKind::Gone, 1, TcpState::Established, 40000, 50000),
             event(EventKind::Gone, 4, TcpState::Established, 50000, 40002)},
        };
        for (qsizetype i = 0; i < steps.size(); ++i) {
            PollBatch batch;
            batch.events = steps[i];
            for (const SocketEvent &e : batch.events) {
                if (e.kind == EventKind::Gone)
                    live.remove(e.connection.id);
                else
                    live.insert(e.connection.id, e.connection);
            }
            model.applyBatch(batch);
            QCOMPARE(rows(model), recounted());
        }
        QCOMPARE(model.rowCount(), 0);
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestPortSummaryModel, QGuiApplication)
#include "tst_portsummarymodel.moc"
