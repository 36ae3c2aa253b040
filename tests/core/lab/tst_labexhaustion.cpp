// SPDX-License-Identifier: GPL-3.0-or-later
// The window's own process at its descriptor limit: the lab (as the lab
// panel drives it) opens clients until EMFILE while the poller the window
// uses keeps polling. Every failed action says how many descriptors are open
// (a true count, not -1), the table keeps updating, a poller that cannot open
// its netlink socket says so once, and closing lab objects recovers both.
#include "lab/lab.h"
#include "labtesting.h"
#include "netns.h"
#include "poller/poller.h"
#include "util/descriptorcount.h"

#include <cerrno>
#include <QCoreApplication>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <sys/resource.h>

using namespace sockscope;
using namespace sockscope::test;

namespace {

// Descriptors numbered `from` or above: a lowered soft limit leaves them open.
int descriptorsFrom(int from)
{
    int count = 0;
    for (const QString &name : QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::Files))
        count += name.toInt() >= from ? 1 : 0;
    return count;
}

// The "N open, RLIMIT_NOFILE soft S" an EMFILE explanation quotes: N must be
// what the process really holds at that moment: every slot below S, and
// `above` more that were open above S before the limit was lowered.
bool quotesTrueCount(const QString &text, int above, QString *why)
{
    static const QRegularExpression pattern(
        QStringLiteral("(-?\\d+) open, RLIMIT_NOFILE soft (\\d+)"));
    const auto match = pattern.match(text);
    if (!match.hasMatch()) {
        *why = QStringLiteral("no descriptor count in: ") + text;
        return false;
    }
    const int open = match.captured(1).toInt();
    const int soft = match.captured(2).toInt();
    // The poller's thread may have closed a /proc descriptor in between.
    if (open < soft + above - 2 || open > soft + above) {
        *why = QStringLiteral("%1 open at a soft limit of %2 (%3 above it) in: %4")
                   .arg(open)
                   .arg(soft)
                   .arg(above)
                   .arg(text);
        return false;
    }
    return true;
}

// Remembers what the poller told a user: the batches, and which ports the
// table showed changing.
struct TableWatch
{
    QObject receiver;
    int batches = 0;
    int answeredAsks = 0; // batches that answered pollNow()
    QList<std::uint16_t> changedPorts;

    void attach(Poller &poller)
    {
        QObject::connect(&poller, &Poller::batchReady, &receiver, [this](const PollBatch &batch) {
            ++batches;
            answeredAsks += batch.stats.asked ? 1 : 0;
            for (const SocketEvent &event : batch.events)
                changedPorts << event.connection.socket.local.port;
        });
    }
};

DumpFilter onPort(std::uint16_t port)
{
    DumpFilter filter;
    filter.port = port;
    return filter;
}

constexpr int kIntervalMs = 50;

// Stops the poller between two polls. A paused poller still answers pollNow()
// on its own thread, after the pause: once that answer is here (not the batch
// of a timed poll that was under way when the pause came), no poll runs and
// the owner scan's /proc descriptors are closed. While a poll runs, a
// descriptor it holds for a moment can make one open fail with EMFILE and the
// next one succeed.
bool holdStill(Poller &poller, const TableWatch &table)
{
    poller.setPaused(true);
    const int before = table.answeredAsks;
    poller.pollNow();
    return QTest::qWaitFor([&] { return table.answeredAsks > before; }, kWaitMs);
}
constexpr int kSpare = 12;
constexpr int kMaxClients = 200;

} // namespace

class TestLabExhaustion : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        QVERIFY(::getrlimit(RLIMIT_NOFILE, &m_saved) == 0);
    }
    void cleanup() { ::setrlimit(RLIMIT_NOFILE, &m_saved); }

    void explainedCountedAndRecovered()
    {
        // Never started: at EMFILE the report pipe fails first.
        Lab lab(QStringLiteral("/bin/false"));
        // Nothing accepted: each client holds exactly one descriptor here.
        const auto listener = lab.listen(loopbackListener(Family::IPv4, AcceptMode::Pause));
        QVERIFY(listener.ok());
        const std::uint16_t port = listener->bound.port;
        Poller poller(onPort(port));
        poller.setTracing(false);
        poller.setMaxPollingShare(1.0);
        poller.setIntervalMs(kIntervalMs);
        TableWatch table;
        table.attach(poller);
        QSignalSpy failures(&poller, &Poller::pollFailed);
        poller.start();
        QTRY_VERIFY_WITH_TIMEOUT(table.batches > 0, kWaitMs);

        // Still while the lab fills the table, so that what failed once fails
        // again; it polls at the limit further down.
        QVERIFY(holdStill(poller, table));
        rlimit low = m_saved;
        low.rlim_cur = static_cast<rlim_t>(openDescriptorCount() + kSpare);
        const int above = descriptorsFrom(static_cast<int>(low.rlim_cur));
        QVERIFY(::setrlimit(RLIMIT_NOFILE, &low) == 0);
        QStringList connected;
        std::optional<Explanation> refused;
        for (int i = 0; i < kMaxClients && !refused; ++i) {
            const auto clients = lab.connect(loopbackClient(Family::IPv4, port, ClosePolicy::Keep));
            QVERIFY(clients.ok());
            const ClientStatus &client = clients->constFirst();
            if (client.phase == ClientPhase::Failed)
                refused = client.failure;
            else
                connected << client.id;
        }
        QVERIFY2(refused, "the lab never ran out of descriptors");
        QCOMPARE(refused->errnoName, QStringLiteral("EMFILE"));
        QString why;
        QVERIFY2(quotesTrueCount(refused->text(), above, &why), qPrintable(why));
        const auto another = lab.listen(loopbackListener(Family::IPv4));
        QVERIFY(!another.ok());
        QCOMPARE(another.error().errnum, EMFILE);
        QVERIFY2(quotesTrueCount(another.error().message, above, &why), qPrintable(why));
        const auto server = lab.startServer(ServerSpec{});
        QVERIFY(!server.ok());
        QCOMPARE(server.error().errnum, EMFILE);
        QVERIFY2(quotesTrueCount(server.error().message, above, &why), qPrintable(why));

        // The running poller needs no new descriptor: its table still moves,
        // and owners it cannot read in /proc do not fail the poll.
        poller.setPaused(false);
        const int before = table.batches;
        QTRY_VERIFY_WITH_TIMEOUT(table.batches >= before + 5, kWaitMs);
        QCOMPARE(failures.count(), 0);

        // A poller started now has no descriptor even for its thread (whose
        // event loop GLib would abort the process for): it says so once,
        // with the count, and waits, trying quietly. The other poller rests.
        QVERIFY(holdStill(poller, table));
        Poller late(onPort(port));
        late.setTracing(false);
        late.setIntervalMs(kIntervalMs);
        TableWatch lateTable;
        lateTable.attach(late);
        QSignalSpy lateFailures(&late, &Poller::pollFailed);
        QSignalSpy lateRecovered(&late, &Poller::pollRecovered);
        late.start();
        QTRY_VERIFY_WITH_TIMEOUT(lateFailures.count() > 0, kWaitMs);
        const QString lateMessage = lateFailures.first().first().toString();
        QVERIFY2(lateMessage.contains(QLatin1String("cannot start the poller's thread")) &&
                     lateMessage.contains(QLatin1String("ulimit -n")),
                 qPrintable(lateMessage));
        QVERIFY2(quotesTrueCount(lateMessage, above, &why), qPrintable(why));
        QTest::qWait(10 * kIntervalMs); // ten polls, ten failures: one report
        QCOMPARE(lateFailures.count(), 1);
        QCOMPARE(lateTable.batches, 0);

        poller.setPaused(false);

        // Closing lab objects frees descriptors: the table shows the closes,
        // the late poller recovers, and the lab's actions succeed again. All
        // of them: the late poller's thread and netlink socket take two, and
        // two pollers' owner scans each hold a few /proc descriptors at once.
        QVERIFY2(connected.size() >= 8, qPrintable(QString::number(connected.size())));
        QList<std::uint16_t> closedPorts;
        for (const QString &id : std::as_const(connected)) {
            const auto closed = lab.closeClient(id);
            QVERIFY(closed.ok());
            closedPorts << closed->local.port;
        }
        QTRY_VERIFY_WITH_TIMEOUT(table.changedPorts.contains(closedPorts.first()), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(lateTable.batches > 0, kWaitMs);
        QCOMPARE(lateRecovered.count(), 1);
        // Both pollers rest while the lab connects again: a poll under way
        // holds owner-scan descriptors for a moment, as for the checks above.
        QVERIFY(holdStill(poller, table));
        QVERIFY(holdStill(late, lateTable));
        const auto again = lab.connect(loopbackClient(Family::IPv4, port, ClosePolicy::Keep));
        QVERIFY(again.ok());
        const ClientStatus &reconnected = again->constFirst();
        QVERIFY2(reconnected.phase == ClientPhase::Connected,
                 qPrintable(reconnected.failure ? reconnected.failure->text()
                                                : QStringLiteral("not connected, no failure")));
        late.stop();
        poller.stop();
    }

private:
    rlimit m_saved{};
};

SOCKSCOPE_TEST_MAIN_NETNS(TestLabExhaustion, QCoreApplication)
#include "tst_labexhaustion.moc"
