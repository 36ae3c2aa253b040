// SPDX-License-Identifier: GPL-3.0-or-later
#include "events/connectiontracker.h"
#include "itemmodels/socketfilterproxy.h"
#include "itemmodels/sockettablemodel.h"
#include "loopback.h"
#include "netns.h"
#include "poller/poller.h"

#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTest>

using namespace sockscope;
using namespace sockscope::test;

namespace {
SocketRecord record(std::uint64_t cookie, TcpState state, std::uint16_t localPort,
                    std::uint16_t remotePort)
{
    return loopbackRecord(cookie, state, localPort, remotePort,
                          1000 + static_cast<std::uint32_t>(cookie));
}

PollBatch batchFrom(ConnectionTracker &tracker, const std::vector<SocketRecord> &snapshot,
                    std::int64_t timeMs)
{
    auto diff = tracker.apply(snapshot, timeMs);
    PollBatch batch;
    batch.timeMs = timeMs;
    batch.events = std::move(diff.events);
    batch.updated = std::move(diff.updated);
    return batch;
}
// A table on a test clock, behind a sorting filter proxy, both watched by
// QAbstractItemModelTester.
struct SortedTable
{
    explicit SortedTable(SocketTableModel::Column sortColumn)
    {
        model.setClock([this] { return now; });
        proxy.setSourceModel(&model);
        proxy.sort(sortColumn);
    }
    std::int64_t now = 0;
    SocketTableModel model;
    SocketFilterProxy proxy;
    QAbstractItemModelTester sourceTester{&model,
                                          QAbstractItemModelTester::FailureReportingMode::QtTest};
    QAbstractItemModelTester proxyTester{&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest};
};
} // namespace

class TestSocketTableModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void incrementalUpdatesPassTheModelTester()
    {
        SortedTable table(SocketTableModel::LocalColumn);
        SocketTableModel &model = table.model;
        std::int64_t &now = table.now;
        ConnectionTracker tracker;

        model.applyBatch(batchFrom(tracker,
                                   {record(1, TcpState::Listen, 9000, 0),
                                    record(2, TcpState::Established, 9000, 40000),
                                    record(3, TcpState::Established, 40000, 9000)},
                                   now));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.data(model.index(0, 0), SocketTableModel::HighlightRole).toInt(),
                 0); // initial: not new

        now = 1000;
        model.applyBatch(batchFrom(tracker,
                                   {record(1, TcpState::Listen, 9000, 0),
                                    record(2, TcpState::CloseWait, 9000, 40000),
                                    record(4, TcpState::Established, 9000, 40001)},
                                   now));
        QCOMPARE(model.rowCount(), 4); // the vanished row stays, marked, for a moment
        const int gone = model.rowOf(3);
        QCOMPARE(model.data(model.index(gone, 0), SocketTableModel::HighlightRole).toInt(), -1);
        QCOMPARE(
            model.data(model.index(model.rowOf(4), 0), SocketTableModel::HighlightRole).toInt(), 1);
        QCOMPARE(model.data(model.index(model.rowOf(2), SocketTableModel::StateColumn)).toString(),
                 QStringLiteral("CLOSE_WAIT"));

        now = 1000 + SocketTableModel::kHighlightMs;
        model.tick(now);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowOf(3), -1);
        for (std::uint64_t id : {1, 2, 4}) // the index is rebuilt after removals
            QCOMPARE(model.connectionAt(model.rowOf(id))->socket.cookie, id);
    }

    // What a user sees at 100,000 sockets: a poll in which nothing changed
    // repaints nothing, and one that changed a few rows signals those only.
    void aBatchSignalsOnlyWhatChanged()
    {
        SocketTableModel model;
        model.setClock([] { return std::int64_t{0}; });
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        ConnectionTracker tracker;
        std::vector<SocketRecord> snapshot;
        for (std::uint64_t cookie = 1; cookie <= 100; ++cookie)
            snapshot.push_back(record(cookie, TcpState::Established, 9000,
                                      static_cast<std::uint16_t>(40000 + cookie)));
        model.applyBatch(batchFrom(tracker, snapshot, 0));
        QCOMPARE(model.stateCounts()[std::size_t(TcpState::Established)], 100);

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        PollBatch same = batchFrom(tracker, snapshot, 250);
        QVERIFY(same.events.empty());
        QVERIFY(same.updated.empty());
        // A view sent again with nothing new on screen is not a change either.
        same.updated.push_back(*tracker.find(1));
        model.applyBatch(same);
        QCOMPARE(changed.count(), 0);

        // Rows 10-12 and 50 change state; two connections appear.
        for (const std::uint64_t cookie : {10, 11, 12, 50})
            snapshot[cookie - 1].state = TcpState::CloseWait;
        snapshot.push_back(record(101, TcpState::Established, 9000, 50001));
        snapshot.push_back(record(102, TcpState::Established, 9000, 50002));
        model.applyBatch(batchFrom(tracker, snapshot, 500));
        QCOMPARE(changed.count(), 2); // one signal per run of adjacent rows
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 9);
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 11);
        QCOMPARE(changed.at(1).at(0).value<QModelIndex>().row(), 49);
        QCOMPARE(inserted.count(), 1); // the new rows in one block
        QCOMPARE(inserted.at(0).at(1).toInt(), 100);
        QCOMPARE(inserted.at(0).at(2).toInt(), 101);
        QCOMPARE(model.stateCounts()[std::size_t(TcpState::Established)], 98);
        QCOMPARE(model.stateCounts()[std::size_t(TcpState::CloseWait)], 4);

        // A vanished row leaves the counts at once, the table after its highlight.
        snapshot.pop_back();
        model.applyBatch(batchFrom(tracker, snapshot, 750));
        QCOMPARE(model.rowCount(), 102);
        QCOMPARE(model.stateCounts()[std::size_t(TcpState::Established)], 97);
    }

    // TIME_WAIT sockets of a busy server expire together, scattered through
    // the table: they leave in one removal (not one per run, which took
    // seconds at 100,000 rows), a sorting proxy stays consistent, and the
    // selected connection stays selected.
    void scatteredExpiriesLeaveTogether()
    {
        SortedTable table(SocketTableModel::StateColumn);
        SocketTableModel &model = table.model;
        SocketFilterProxy &proxy = table.proxy;
        std::int64_t &now = table.now;
        ConnectionTracker tracker;
        std::vector<SocketRecord> snapshot;
        for (std::uint64_t cookie = 1; cookie <= 1000; ++cookie)
            snapshot.push_back(record(cookie,
                                      cookie % 3 == 0 ? TcpState::TimeWait : TcpState::Established,
                                      9000, static_cast<std::uint16_t>(20000 + cookie)));
        model.applyBatch(batchFrom(tracker, snapshot, now));
        QItemSelectionModel selection(&proxy);
        const auto rowOf = [&](std::uint64_t cookie) {
            for (int row = 0; row < proxy.rowCount(); ++row) {
                const QModelIndex index = proxy.index(row, SocketTableModel::RemoteColumn);
                if (index.data().toString().endsWith(QString::number(20000 + cookie)))
                    return row;
            }
            return -1;
        };
        selection.setCurrentIndex(proxy.index(rowOf(500), 0),
                                  QItemSelectionModel::SelectCurrent | QItemSelectionModel::Rows);

        std::erase_if(snapshot,
                      [](const SocketRecord &r) { return r.state == TcpState::TimeWait; });
        now = 1000;
        model.applyBatch(batchFrom(tracker, snapshot, now));
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        now = 60000;
        model.tick(now);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.rowCount(), 667);
        QCOMPARE(proxy.rowCount(), 667);
        QCOMPARE(model.stateCounts()[std::size_t(TcpState::Established)], 667);
        QCOMPARE(selection.currentIndex().row(), rowOf(500));
        QVERIFY(selection.isRowSelected(rowOf(500), {}));
        // Still in step with the tracker: a change to a kept row lands on it.
        snapshot[0].state = TcpState::CloseWait;
        model.applyBatch(batchFrom(tracker, snapshot, now + 250));
        QCOMPARE(model.stateCounts()[std::size_t(TcpState::CloseWait)], 1);
    }

    void timeInStateAndCountdownFollowTheClock()
    {
        SocketTableModel model;
        std::int64_t now = 5000;
        model.setClock([&now] { return now; });
        ConnectionTracker tracker;
        tracker.apply({}, 0);
        SocketRecord tw = record(1, TcpState::TimeWait, 40000, 9000);
        tw.timer = TimerKind::TimeWait;
        tw.expiresMs = 60000;
        model.applyBatch(batchFrom(tracker, {tw}, now));
        now = 65000 - 30000; // 30 s after the dump
        const QModelIndex timer = model.index(0, SocketTableModel::TimerColumn);
        QCOMPARE(model.data(timer).toString(), QStringLiteral("timewait 30.0 s"));
        QCOMPARE(model.data(model.index(0, SocketTableModel::TimeInStateColumn)).toString(),
                 QStringLiteral("30.0 s"));
    }

    // A view repaints only what dataChanged names: when no batch comes, the
    // clock alone must end the "new" colour of every cell of the row.
    void newMarkEndsWithoutABatch()
    {
        SocketTableModel model;
        std::int64_t now = 1000;
        model.setClock([&now] { return now; });
        ConnectionTracker tracker;
        model.applyBatch(batchFrom(tracker, {}, 0));
        model.applyBatch(batchFrom(tracker, {record(1, TcpState::Established, 40000, 9000)}, now));
        QCOMPARE(model
                     .data(model.index(0, SocketTableModel::StateColumn),
                           SocketTableModel::HighlightRole)
                     .toInt(),
                 1);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        now += SocketTableModel::kHighlightMs + 500;
        model.tick(now);
        QSet<int> repainted;
        for (const QList<QVariant> &signal : changed) {
            const auto from = signal.at(0).toModelIndex();
            const auto to = signal.at(1).toModelIndex();
            const auto roles = signal.at(2).value<QList<int>>();
            if (from.row() <= 0 && to.row() >= 0 &&
                (roles.isEmpty() || roles.contains(Qt::BackgroundRole)))
                for (int column = from.column(); column <= to.column(); ++column)
                    repainted << column;
        }
        for (int column = 0; column < SocketTableModel::ColumnCount; ++column) {
            QVERIFY2(repainted.contains(column),
                     qPrintable(QStringLiteral("column %1").arg(column)));
            QVERIFY(!model.data(model.index(0, column), Qt::BackgroundRole).isValid());
        }
    }

    // The diagram's names: CLOSED, and BOUND for bind() alone (no peer).
    void closedAndBoundSocketsAreNamedAsShown()
    {
        SocketTableModel model;
        ConnectionTracker tracker;
        model.applyBatch(batchFrom(
            tracker, {record(1, TcpState::Close, 9555, 0), record(2, TcpState::Close, 40000, 9000)},
            0));
        const auto state = [&model](std::uint64_t id) {
            return model.data(model.index(model.rowOf(id), SocketTableModel::StateColumn))
                .toString();
        };
        QCOMPARE(state(1), QStringLiteral("BOUND"));
        QCOMPARE(state(2), QStringLiteral("CLOSED"));
    }

    void columnsAUserReadsFirstComeFirst()
    {
        SocketTableModel model;
        QStringList headers;
        for (int column = 0; column < model.columnCount(); ++column)
            headers << model.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
        QCOMPARE(headers.mid(0, 6), (QStringList{"State", "Local address", "Peer address",
                                                 "In state", "Timer", "Owner"}));
        QCOMPARE(headers.mid(headers.size() - 3), (QStringList{"Family", "UID", "Inode"}));
        for (const auto column :
             {SocketTableModel::TimerColumn, SocketTableModel::TimeInStateColumn,
              SocketTableModel::OwnerColumn})
            QVERIFY(
                !model.headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
    }

    // Live: real sockets through the poller; the selected row stays selected
    // across 100 polls because rows are updated, never reset.
    void selectionSurvivesPolls()
    {
        UniqueFd listener = listenOn();
        const std::uint16_t port = localPort(listener.get());
        UniqueFd client = connectTo(port);
        UniqueFd server = acceptOne(listener.get());
        QVERIFY(client.valid() && server.valid());
        DumpFilter filter;
        filter.port = port;
        Poller poller(filter);
        poller.setTracing(false); // counts dumps: one batch per poll
        // 20 ms as asked: a dump here walks the kernel's whole hash table
        // (several ms), which the default share would stretch to ~100 ms.
        poller.setMaxPollingShare(1.0);
        SocketTableModel model;
        SocketFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.sort(SocketTableModel::StateColumn);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QItemSelectionModel selection(&proxy);
        int polls = 0;
        // Dies before the locals it captures: later queued batches are dropped.
        QObject receiver;
        connect(&poller, &Poller::batchReady, &receiver, [&](const PollBatch &batch) {
            model.applyBatch(batch);
            model.tick(batch.timeMs);
            ++polls;
        });
        poller.setIntervalMs(20);
        poller.start();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, 5000);
        const QModelIndex listenerRow =
            proxy.match(proxy.index(0, 0), Qt::DisplayRole, QStringLiteral("LISTEN")).value(0);
        QVERIFY(listenerRow.isValid());
        selection.select(listenerRow,
                         QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        const int start = polls;
        // Churn: a connection comes and goes while we poll.
        UniqueFd churn = connectTo(port);
        UniqueFd churnServer = acceptOne(listener.get());
        QTRY_VERIFY_WITH_TIMEOUT(polls >= start + 50, 10000);
        churn.reset();
        churnServer.reset();
        QTRY_VERIFY_WITH_TIMEOUT(polls >= start + 100, 10000);
        poller.stop();
        const QModelIndexList selected = selection.selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().data().toString(), QStringLiteral("LISTEN"));
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestSocketTableModel, QGuiApplication)
#include "tst_sockettablemodel.moc"
