// SPDX-License-Identifier: GPL-3.0-or-later
// The tracker's bookkeeping, fed with records shaped like the kernel's. Real
// sockets driving it through the poller are in tst_poller.
#include "events/connectiontracker.h"

#include <QTest>

using namespace sockscope;

namespace {
SocketRecord record(std::uint64_t cookie, TcpState state, std::uint16_t localPort,
                    std::uint16_t remotePort, std::uint32_t inode = 1000)
{
    SocketRecord r;
    r.family = Family::IPv4;
    r.state = state;
    r.local.address = {127, 0, 0, 1};
    r.local.port = localPort;
    r.remote.address =
        remotePort ? std::array<std::uint8_t, 16>{127, 0, 0, 1} : std::array<std::uint8_t, 16>{};
    r.remote.port = remotePort;
    r.cookie = cookie;
    r.inode = inode;
    return r;
}

QList<EventKind> kinds(const ConnectionTracker::Diff &diff)
{
    QList<EventKind> result;
    for (const SocketEvent &event : diff.events)
        result << event.kind;
    return result;
}
} // namespace

class TestTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void firstSnapshotIsInitial()
    {
        ConnectionTracker tracker;
        const auto diff = tracker.apply({record(1, TcpState::Listen, 9000, 0)}, 100);
        QCOMPARE(diff.events.size(), 1u);
        QVERIFY(diff.events[0].initial);
        QVERIFY(diff.events[0].connection.stateSinceIsLowerBound);
        const auto later = tracker.apply(
            {record(1, TcpState::Listen, 9000, 0), record(2, TcpState::Established, 9000, 40000)},
            200);
        QCOMPARE(kinds(later), QList<EventKind>{EventKind::Appeared});
        QVERIFY(!later.events[0].initial);
        QCOMPARE(later.events[0].to, TcpState::Established);
    }

    void stateChangeKeepsHistory()
    {
        ConnectionTracker tracker;
        tracker.apply({record(7, TcpState::Established, 10001, 9000)}, 0);
        const auto diff = tracker.apply({record(7, TcpState::CloseWait, 10001, 9000)}, 500);
        QCOMPARE(kinds(diff), QList<EventKind>{EventKind::StateChanged});
        QCOMPARE(diff.events[0].from, TcpState::Established);
        QCOMPARE(diff.events[0].to, TcpState::CloseWait);
        const ConnectionView &view = diff.events[0].connection;
        QCOMPARE(view.history.size(), 2);
        QCOMPARE(view.history[0].leftMs, 500);
        QCOMPARE(view.history[1].enteredMs, 500);
        QCOMPARE(view.history[1].leftMs, -1);
        QCOMPARE(view.stateSinceMs, 500);
    }

    // The kernel swaps the closed socket for a timewait socket: new cookie,
    // inode 0, same 4-tuple. One connection, not a gone and an appeared.
    void timewaitSuccessorContinuesTheConnection_data()
    {
        QTest::addColumn<int>("successorState");
        QTest::addColumn<std::uint32_t>("successorInode");
        QTest::addColumn<bool>("continues");
        QTest::newRow("TIME_WAIT, inode 0") << int(TcpState::TimeWait) << 0u << true;
        QTest::newRow("FIN_WAIT2, inode 0") << int(TcpState::FinWait2) << 0u << true;
        QTest::newRow("new ESTABLISHED on the same tuple")
            << int(TcpState::Established) << 555u << false;
        QTest::newRow("TIME_WAIT with an inode") << int(TcpState::TimeWait) << 555u << false;
    }
    void timewaitSuccessorContinuesTheConnection()
    {
        QFETCH(int, successorState);
        QFETCH(std::uint32_t, successorInode);
        QFETCH(bool, continues);
        ConnectionTracker tracker;
        const auto first = tracker.apply({record(1, TcpState::FinWait1, 40000, 9000)}, 0);
        const std::uint64_t id = first.events[0].connection.id;
        const auto diff = tracker.apply(
            {record(2, static_cast<TcpState>(successorState), 40000, 9000, successorInode)}, 300);
        if (continues) {
            QCOMPARE(kinds(diff), QList<EventKind>{EventKind::StateChanged});
            QCOMPARE(diff.events[0].connection.id, id);
            QCOMPARE(diff.events[0].from, TcpState::FinWait1);
            QCOMPARE(diff.events[0].connection.socket.cookie, 2u);
            QCOMPARE(tracker.live().size(), 1);
        } else {
            QCOMPARE(kinds(diff), (QList<EventKind>{EventKind::Appeared, EventKind::Gone}));
            QVERIFY(diff.events[0].connection.id != id);
            QCOMPARE(diff.events[1].connection.id, id);
        }
    }

    void goneStaysFindable()
    {
        ConnectionTracker tracker;
        const auto first = tracker.apply({record(1, TcpState::TimeWait, 40000, 9000, 0)}, 0);
        const std::uint64_t id = first.events[0].connection.id;
        const auto diff = tracker.apply({}, 60000);
        QCOMPARE(kinds(diff), QList<EventKind>{EventKind::Gone});
        QCOMPARE(diff.events[0].from, TcpState::TimeWait);
        QVERIFY(tracker.live().isEmpty());
        const ConnectionView *view = tracker.find(id);
        QVERIFY(view);
        QCOMPARE(view->history.last().leftMs, 60000);
    }

    // SO_REUSEPORT: two listeners share a 4-tuple; both must be retired.
    void listenersSharingATupleBothGo()
    {
        ConnectionTracker tracker;
        tracker.apply({record(1, TcpState::Listen, 9000, 0), record(2, TcpState::Listen, 9000, 0)},
                      0);
        QCOMPARE(tracker.live().size(), 2);
        const auto diff = tracker.apply({}, 100);
        QCOMPARE(kinds(diff), (QList<EventKind>{EventKind::Gone, EventKind::Gone}));
        QVERIFY(tracker.live().isEmpty());
    }

    void queueChangesAreUpdatesCountdownsAreNot()
    {
        ConnectionTracker tracker;
        SocketRecord r = record(1, TcpState::TimeWait, 40000, 9000, 0);
        r.timer = TimerKind::TimeWait;
        r.expiresMs = 59000;
        tracker.apply({r}, 0);
        r.expiresMs = 58000;
        QVERIFY(tracker.apply({r}, 1000).empty());
        SocketRecord listener = record(2, TcpState::Listen, 9000, 0);
        tracker.apply({r, listener}, 1100);
        listener.recvQ = 3;
        const auto diff = tracker.apply({r, listener}, 1200);
        QVERIFY(diff.events.empty());
        QCOMPARE(diff.updated.size(), 1u);
        QCOMPARE(diff.updated[0].socket.recvQ, 3u);
    }

    void ownerChangeIsAnUpdate()
    {
        ConnectionTracker tracker;
        const SocketRecord r = record(1, TcpState::Listen, 9000, 0);
        tracker.apply({r}, 0, [](const SocketRecord &) {
            return OwnerLookup{Ownership::Owned, {{42, 3, QStringLiteral("srv")}}};
        });
        const auto diff = tracker.apply({r}, 100, [](const SocketRecord &) {
            return OwnerLookup{Ownership::Orphaned, {}};
        });
        QCOMPARE(diff.updated.size(), 1u);
        QCOMPARE(diff.updated[0].owner.ownership, Ownership::Orphaned);
    }

    void destroyNoticeOfAKnownConnectionDatesItsEnd()
    {
        ConnectionTracker tracker;
        tracker.apply({record(1, TcpState::Established, 40000, 9000)}, 0);
        tracker.applyDestroyed({record(1, TcpState::Close, 40000, 9000)}, 120);
        const auto diff = tracker.apply({}, 250);
        QCOMPARE(kinds(diff), QList<EventKind>{EventKind::Gone});
        QCOMPARE(diff.events[0].source, EventSource::Destroy);
        QCOMPARE(diff.events[0].timeMs, 120);
    }

    void destroyNoticeOfAKnownConnectionWithSuccessorIsNotGone()
    {
        ConnectionTracker tracker;
        tracker.apply({record(1, TcpState::FinWait1, 40000, 9000)}, 0);
        tracker.applyDestroyed({record(1, TcpState::Close, 40000, 9000)}, 120);
        const auto diff = tracker.apply({record(9, TcpState::TimeWait, 40000, 9000, 0)}, 250);
        QCOMPARE(kinds(diff), QList<EventKind>{EventKind::StateChanged});
        QCOMPARE(diff.events[0].to, TcpState::TimeWait);
    }

    // Born and dead between two polls: only the destroy notice saw it.
    void shortLivedConnectionSeenOnlyByDestroyNotice()
    {
        ConnectionTracker tracker;
        tracker.apply({}, 0);
        tracker.applyDestroyed({record(5, TcpState::Close, 40001, 9000)}, 50);
        const auto diff = tracker.apply({}, 250);
        QCOMPARE(kinds(diff), (QList<EventKind>{EventKind::Appeared, EventKind::Gone}));
        QCOMPARE(diff.events[0].source, EventSource::Destroy);
        QCOMPARE(diff.events[1].source, EventSource::Destroy);
        QCOMPARE(diff.events[1].timeMs, 50);
        QVERIFY(tracker.live().isEmpty());
    }

    // The accepted socket a server closes at once dies before any poll; its
    // connection goes on in a timewait socket: one Appeared, in FIN_WAIT2.
    void destroyedThenSuccessorAppearsOnce()
    {
        ConnectionTracker tracker;
        tracker.apply({}, 0);
        tracker.applyDestroyed({record(5, TcpState::Close, 9000, 40001)}, 50);
        const auto diff = tracker.apply({record(6, TcpState::FinWait2, 9000, 40001, 0)}, 250);
        QCOMPARE(kinds(diff), QList<EventKind>{EventKind::Appeared});
        QCOMPARE(diff.events[0].to, TcpState::FinWait2);
        QCOMPARE(diff.events[0].source, EventSource::Poll);
    }

    // A socket that never had a peer (a failed bind) is not a connection.
    void destroyedWithoutPeerIsDropped()
    {
        ConnectionTracker tracker;
        tracker.apply({}, 0);
        tracker.applyDestroyed({record(5, TcpState::Close, 10001, 0)}, 50);
        QVERIFY(tracker.apply({}, 250).empty());
    }

    void idsAreNeverReused()
    {
        ConnectionTracker tracker;
        const auto a = tracker.apply({record(1, TcpState::Established, 1, 2)}, 0);
        tracker.apply({}, 10);
        const auto b = tracker.apply({record(1, TcpState::Established, 1, 2)}, 20);
        QVERIFY(a.events[0].connection.id != b.events[0].connection.id);
    }
};

QTEST_GUILESS_MAIN(TestTracker)
#include "tst_tracker.moc"
