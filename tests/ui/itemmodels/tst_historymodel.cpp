// SPDX-License-Identifier: GPL-3.0-or-later
// The History list over a ConnectionHistory, under QAbstractItemModelTester:
// newest first, new ends inserted on top, pruned ones removed at the bottom,
// a selection staying on its connection.
#include "itemmodels/historymodel.h"
#include "loopback.h"

#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QItemSelectionModel>
#include <QTest>

using namespace sockscope;

namespace {
// One connection that appears at `start` and is gone at `end` (ms).
std::vector<SocketEvent> life(std::uint64_t id, std::uint16_t port, std::int64_t start,
                              std::int64_t end)
{
    SocketEvent appeared;
    appeared.kind = EventKind::Appeared;
    appeared.timeMs = start;
    appeared.to = TcpState::Established;
    appeared.connection.id = id;
    appeared.connection.socket = test::loopbackRecord(id, TcpState::Established, port, 9000, 1000);
    SocketEvent gone = appeared;
    gone.kind = EventKind::Gone;
    gone.timeMs = end;
    gone.from = TcpState::Established;
    return {appeared, gone};
}
} // namespace

class TestHistoryModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void newestFirstAndSelectionFollows()
    {
        ConnectionHistory history;
        HistoryModel model(&history);
        std::int64_t now = 0;
        model.setClock([&now] { return now; });
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        QItemSelectionModel selection(&model);
        history.apply(life(1, 40001, 0, 100), {});
        model.refresh();
        QCOMPARE(model.rowCount(), 1);
        selection.select(model.index(0, 0),
                         QItemSelectionModel::Select | QItemSelectionModel::Rows);

        history.apply(life(2, 40002, 0, 200), {});
        history.apply(life(3, 40003, 0, 300), {});
        model.refresh();
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.idAt(0), std::uint64_t(3));
        QCOMPARE(model.idAt(2), std::uint64_t(1));
        QCOMPARE(model.index(0, HistoryModel::StateColumn).data().toString(),
                 QStringLiteral("ESTABLISHED"));
        QCOMPARE(model.index(0, HistoryModel::LocalColumn).data().toString(),
                 QStringLiteral("127.0.0.1:40003"));
        // Inserted above it: the selection is still connection 1.
        QCOMPARE(selection.selectedRows().first().row(), 2);

        // The oldest leaves at the bottom as time passes.
        now = 150 + ConnectionHistory::kEndedKeepMs;
        history.prune(now);
        model.refresh();
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.idAt(1), std::uint64_t(2));
        QVERIFY(!selection.hasSelection());
        QVERIFY(model.index(0, HistoryModel::EndedColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .startsWith(QLatin1String("ended at")));
    }
};

QTEST_GUILESS_MAIN(TestHistoryModel)
#include "tst_historymodel.moc"
