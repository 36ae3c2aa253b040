// SPDX-License-Identifier: GPL-3.0-or-later
// What the window keeps of connections: both ends found by their mirrored
// 4-tuples, live or ended, and ended ones bounded by count and by age.
#include "events/connectionhistory.h"
#include "loopback.h"

#include <QTest>

using namespace sockscope;

namespace {
constexpr std::int64_t kNsPerMs = 1'000'000;

SocketEvent socketEvent(EventKind kind, std::uint64_t id, TcpState state, std::uint16_t localPort,
                        std::uint16_t remotePort, std::int64_t timeMs)
{
    SocketEvent e;
    e.kind = kind;
    e.source = EventSource::Trace;
    e.timeMs = timeMs;
    e.timeNs = timeMs * kNsPerMs;
    e.to = kind == EventKind::Gone ? TcpState::Unknown : state;
    e.from = kind == EventKind::Gone ? state : TcpState::Unknown;
    e.connection.id = id;
    e.connection.firstSeenMs = timeMs;
    e.connection.socket = test::loopbackRecord(id, state, localPort, remotePort, 1000);
    return e;
}

// A connection from port `client` to 9000 that lives from `start` to `end`
// on both ends: ids clientId and clientId + 1.
std::vector<SocketEvent> pairLife(std::uint64_t clientId, std::uint16_t client, std::int64_t start,
                                  std::int64_t end)
{
    const std::uint64_t serverId = clientId + 1;
    return {socketEvent(EventKind::Appeared, clientId, TcpState::SynSent, client, 9000, start),
            socketEvent(EventKind::Appeared, serverId, TcpState::SynRecv, 9000, client, start),
            socketEvent(EventKind::Gone, clientId, TcpState::TimeWait, client, 9000, end),
            socketEvent(EventKind::Gone, serverId, TcpState::LastAck, 9000, client, end)};
}
} // namespace

class TestConnectionHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keepsAnEndedConnectionWithItsSteps()
    {
        ConnectionHistory history;
        history.apply(pairLife(1, 40000, 100, 200), {});
        const ConnectionEntry *client = history.find(1);
        QVERIFY(client);
        QVERIFY(client->ended());
        QCOMPARE(client->endedMs, std::int64_t(200));
        QCOMPARE(client->steps.size(), 2);
        QCOMPARE(client->steps.first().to, TcpState::SynSent);
        QCOMPARE(client->steps.last().kind, EventKind::Gone);
        QCOMPARE(client->steps.last().timeNs, 200 * kNsPerMs);
        QCOMPARE(history.ended().size(), 2);
        QCOMPARE(history.ended().first()->view.id, std::uint64_t(2)); // newest first
    }

    void findsThePeerLiveAndEnded()
    {
        ConnectionHistory history;
        std::vector<SocketEvent> events = pairLife(1, 40000, 100, 200);
        history.apply({events[0], events[1]}, {});
        QCOMPARE(history.peerOf(1)->view.id, std::uint64_t(2));
        QCOMPARE(history.peerOf(2)->view.id, std::uint64_t(1));
        history.apply({events[2]}, {}); // one end gone, the other live
        QCOMPARE(history.peerOf(2)->view.id, std::uint64_t(1));
        history.apply({events[3]}, {});
        QCOMPARE(history.peerOf(1)->view.id, std::uint64_t(2));
    }

    void peerIsTheOneThatLivedAlongside()
    {
        // The same 4-tuple used twice: each end pairs with its own time's.
        ConnectionHistory history;
        history.apply(pairLife(1, 40000, 100, 200), {});
        history.apply(pairLife(3, 40000, 5000, 6000), {});
        QCOMPARE(history.peerOf(1)->view.id, std::uint64_t(2));
        QCOMPARE(history.peerOf(4)->view.id, std::uint64_t(3));
    }

    void noPeerForARemoteOrAListener()
    {
        ConnectionHistory history;
        SocketEvent remote =
            socketEvent(EventKind::Appeared, 1, TcpState::Established, 40000, 443, 0);
        remote.connection.socket.remote.address = {93, 184, 216, 34};
        history.apply({remote, socketEvent(EventKind::Appeared, 2, TcpState::Listen, 9000, 0, 0),
                       socketEvent(EventKind::Appeared, 3, TcpState::Listen, 9001, 0, 0)},
                      {});
        QVERIFY(!history.peerOf(1));
        QVERIFY(!history.peerOf(2));
    }

    void theKeyFollowsAPortChosenLater()
    {
        // connect() is traced before the kernel picks the local port.
        ConnectionHistory history;
        history.apply({socketEvent(EventKind::Appeared, 1, TcpState::SynSent, 0, 9000, 0)}, {});
        history.apply(
            {socketEvent(EventKind::StateChanged, 1, TcpState::Established, 40000, 9000, 1),
             socketEvent(EventKind::Appeared, 2, TcpState::SynRecv, 9000, 40000, 1)},
            {});
        QCOMPARE(history.peerOf(2)->view.id, std::uint64_t(1));
    }

    void firstSnapshotEntersOnlyWhenItMoves()
    {
        ConnectionHistory history;
        SocketEvent initial =
            socketEvent(EventKind::Appeared, 1, TcpState::Established, 40000, 9000, 0);
        initial.initial = true;
        history.apply({initial}, {});
        QVERIFY(!history.find(1));
        history.apply({socketEvent(EventKind::StateChanged, 1, TcpState::FinWait1, 40000, 9000, 5)},
                      {});
        QVERIFY(history.find(1));
        ConnectionView view = initial.connection;
        view.id = 7;
        history.remember(view);
        QVERIFY(history.find(7));
    }

    void updatesRefreshTheViewOfKnownOnesOnly()
    {
        ConnectionHistory history;
        history.apply({socketEvent(EventKind::Appeared, 1, TcpState::Established, 40000, 9000, 0)},
                      {});
        ConnectionView view = history.find(1)->view;
        view.socket.recvQ = 12;
        ConnectionView stranger = view;
        stranger.id = 2;
        history.apply({}, {view, stranger});
        QCOMPARE(history.find(1)->view.socket.recvQ, 12u);
        QVERIFY(!history.find(2));
    }

    void endedAreBoundedByCount()
    {
        ConnectionHistory history;
        const int pairs = static_cast<int>(ConnectionHistory::kMaxEnded) / 2 + 10;
        for (int i = 0; i < pairs; ++i)
            history.apply(pairLife(2 * i + 1, static_cast<std::uint16_t>(30000 + i), i, i + 1), {});
        history.prune(pairs + 1);
        QCOMPARE(history.endedCount(), ConnectionHistory::kMaxEnded);
        QCOMPARE(history.ended().size(), qsizetype(ConnectionHistory::kMaxEnded));
        QVERIFY(!history.find(1));                       // the oldest went
        QVERIFY(history.find(std::uint64_t(2 * pairs))); // the newest stayed
    }

    void endedAreBoundedByAge()
    {
        ConnectionHistory history;
        history.apply(pairLife(1, 40000, 0, 1000), {});
        history.apply(pairLife(3, 40001, 0, 2000), {});
        const std::uint64_t before = history.endedGeneration();
        history.prune(1000 + ConnectionHistory::kEndedKeepMs);
        QCOMPARE(history.endedCount(), std::size_t(4));
        history.prune(1001 + ConnectionHistory::kEndedKeepMs);
        QCOMPARE(history.endedCount(), std::size_t(2));
        QVERIFY(!history.find(1));
        QVERIFY(history.find(3));
        QVERIFY(history.endedGeneration() != before);
    }

    void stepsPerConnectionAreBounded()
    {
        ConnectionHistory history;
        for (int i = 0; i < 200; ++i)
            history.apply(
                {socketEvent(EventKind::StateChanged, 1,
                             i % 2 ? TcpState::Established : TcpState::SynSent, 40000, 9000, i)},
                {});
        QCOMPARE(history.find(1)->steps.size(), ConnectionHistory::kMaxSteps);
    }
};

QTEST_GUILESS_MAIN(TestConnectionHistory)
#include "tst_connectionhistory.moc"
