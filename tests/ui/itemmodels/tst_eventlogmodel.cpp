// SPDX-License-Identifier: GPL-3.0-or-later
// The event log's model alone, fed with batches recorded from the real poller
// (recordedscene.h), under QAbstractItemModelTester.
#include "itemmodels/eventlogmodel.h"
#include "netns.h"
#include "recordedscene.h"

#include <algorithm>
#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTest>

using namespace sockscope;
using namespace sockscope::test;

namespace {
// A row as the log shows it: event, change, local, peer.
QString rowText(const EventLogModel &model, int row)
{
    QStringList cells;
    for (const int column : {EventLogModel::KindColumn, EventLogModel::ChangeColumn,
                             EventLogModel::LocalColumn, EventLogModel::RemoteColumn})
        cells << model.index(row, column).data().toString();
    return cells.join(QLatin1Char('|'));
}

QString endpoint(std::uint16_t port)
{
    return QStringLiteral("127.0.0.1:%1").arg(port);
}

QString row(const QString &kind, const QString &change, std::uint16_t local, std::uint16_t remote)
{
    return QStringList{kind, change, endpoint(local), endpoint(remote)}.join(QLatin1Char('|'));
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}
} // namespace

class TestEventLogModel : public RecordedSceneTest
{
    Q_OBJECT
private Q_SLOTS:
    // The rows each step adds, after those of the steps before it (the order
    // of sockets within one poll is the kernel's dump order, so each step's
    // rows are compared as a set). What was there at the start is not logged.
    void rowsOfEachStep_data()
    {
        constexpr std::uint16_t server = RecordedScene::kServerPort;
        constexpr std::uint16_t fixed = RecordedScene::kFixedClientPort;
        const std::uint16_t a = scene().clientA;
        const std::uint16_t c = scene().clientC;
        const QString appeared = QStringLiteral("appeared");
        const QString established = QStringLiteral("ESTABLISHED");
        QTest::addColumn<int>("step");
        QTest::addColumn<QStringList>("rows");
        QTest::newRow("0 listener: nothing happened yet") << 0 << QStringList{};
        QTest::newRow("1 two clients connected")
            << 1
            << QStringList{row(appeared, established, a, server),
                           row(appeared, established, server, a),
                           row(appeared, established, fixed, server),
                           row(appeared, established, server, fixed)};
        QTest::newRow("2 server closed B")
            << 2
            << QStringList{row(QStringLiteral("state"), QStringLiteral("ESTABLISHED → FIN_WAIT2"),
                               server, fixed),
                           row(QStringLiteral("state"), QStringLiteral("ESTABLISHED → CLOSE_WAIT"),
                               fixed, server)};
        QTest::newRow("3 third client") << 3
                                        << QStringList{row(appeared, established, c, server),
                                                       row(appeared, established, server, c)};
        QTest::newRow("4 C closed first")
            << 4
            << QStringList{
                   row(QStringLiteral("state"), QStringLiteral("ESTABLISHED → TIME_WAIT"), c,
                       server),
                   row(QStringLiteral("gone"), QStringLiteral("was ESTABLISHED"), server, c)};
    }
    void rowsOfEachStep()
    {
        QFETCH(int, step);
        QFETCH(QStringList, rows);
        EventLogModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        for (int i = 0; i < step; ++i)
            model.applyBatch(scene().batches.at(static_cast<std::size_t>(i)));
        const int before = model.rowCount();
        model.applyBatch(scene().batches.at(static_cast<std::size_t>(step)));
        QStringList added;
        for (int r = before; r < model.rowCount(); ++r)
            added << rowText(model, r);
        QCOMPARE(sorted(added), sorted(rows));
    }

    // Newest last: each poll's rows come after the rows of the polls before
    // and are no older than the poll before them (a row a destroy notice dated
    // may be older than its own poll), and a connection's rows follow its life
    // (B's client: appeared, then CLOSE_WAIT).
    void rowsAreInArrivalOrder()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        std::int64_t previousPollMs = 0;
        for (const PollBatch &batch : scene().batches) {
            const int before = model.rowCount();
            model.applyBatch(batch);
            for (int r = before; r < model.rowCount(); ++r)
                QVERIFY(model.index(r, 0).data(EventLogModel::SortRole).toLongLong() >=
                        previousPollMs);
            previousPollMs = batch.timeMs;
        }
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.index(0, EventLogModel::TimeColumn).data().toString(),
                 QStringLiteral("0.000000 s"));
        QStringList bClient;
        for (int r = 0; r < model.rowCount(); ++r) {
            if (model.index(r, EventLogModel::LocalColumn).data().toString() ==
                endpoint(RecordedScene::kFixedClientPort))
                bClient << model.index(r, EventLogModel::ChangeColumn).data().toString();
        }
        QCOMPARE(bClient, (QStringList{QStringLiteral("ESTABLISHED"),
                                       QStringLiteral("ESTABLISHED → CLOSE_WAIT")}));
    }

    // Bounded: past the limit the oldest rows go, and are counted.
    void limitDropsTheOldest_data()
    {
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("dropped");
        QTest::newRow("roomy") << 100 << 10 << 0;
        QTest::newRow("exactly full") << 10 << 10 << 0;
        QTest::newRow("last two steps only") << 4 << 4 << 6;
        QTest::newRow("one row") << 1 << 1 << 9;
    }
    void limitDropsTheOldest()
    {
        QFETCH(int, limit);
        QFETCH(int, rows);
        QFETCH(int, dropped);
        EventLogModel unbounded;
        EventLogModel model(limit);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        for (const PollBatch &batch : scene().batches) {
            unbounded.applyBatch(batch);
            model.applyBatch(batch);
        }
        QCOMPARE(model.rowCount(), rows);
        QCOMPARE(model.dropped(), dropped);
        // The rows kept are the newest, in order.
        for (int r = 0; r < rows; ++r)
            QCOMPARE(rowText(model, r), rowText(unbounded, unbounded.rowCount() - rows + r));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.dropped(), 0);
    }

    // At the limit, a batch replaces the oldest rows in one removal and one
    // insertion: row by row, every removal at the top made the views remap
    // every row, and thousands of traced events a second kept the window's
    // GUI thread from ever catching up (the soak).
    void fullLogTakesABatchInOneStep()
    {
        EventLogModel unbounded;
        EventLogModel model(3);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
        const PollBatch *biggest = nullptr;
        for (const PollBatch &batch : scene().batches) {
            unbounded.applyBatch(batch);
            model.applyBatch(batch);
            if (!biggest || batch.events.size() > biggest->events.size())
                biggest = &batch;
        }
        QVERIFY(biggest && biggest->events.size() >= 2);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        unbounded.applyBatch(*biggest);
        model.applyBatch(*biggest);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 3);
        for (int r = 0; r < 3; ++r)
            QCOMPARE(rowText(model, r), rowText(unbounded, unbounded.rowCount() - 3 + r));
        QCOMPARE(model.dropped(), unbounded.rowCount() - 3);
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestEventLogModel, QGuiApplication)
#include "tst_eventlogmodel.moc"
