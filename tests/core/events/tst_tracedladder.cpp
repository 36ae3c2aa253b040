// SPDX-License-Identifier: GPL-3.0-or-later
// A real loopback connection, traced, kept by a ConnectionHistory fed with the
// poller's batches as the window feeds it: its two ends are found as peers
// and their transitions give the ladder a learner should see.
#include "events/connectionhistory.h"
#include "events/segmentladder.h"
#include "loopback.h"
#include "netns.h"
#include "poller/poller.h"

#include <QCoreApplication>
#include <QTest>
#include <sys/socket.h>

using namespace sockscope;
using namespace sockscope::test;

namespace {
constexpr std::uint16_t kPort = 9000;

DumpFilter onPort()
{
    DumpFilter filter;
    filter.port = kPort;
    return filter;
}

// "SYN 0>1" per segment: its kind and which end sent it (0: the client).
QStringList arrows(const SegmentLadder &ladder)
{
    QStringList words;
    for (const LadderSegment &segment : ladder.segments)
        words << segmentName(segment.kind) +
                     QStringLiteral(" %1>%2").arg(segment.sender).arg(1 - segment.sender);
    return words;
}
} // namespace

class TestTracedLadder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clientClosesFirst()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        UniqueFd listener = listenOn(false, kPort, true);
        QVERIFY(listener.valid());
        Poller poller(onPort());
        ConnectionHistory history;
        bool tracing = false;
        int batches = 0;
        QString notice;
        QObject receiver;
        QObject::connect(&poller, &Poller::batchReady, &receiver, [&](const PollBatch &batch) {
            ++batches;
            tracing = batch.stats.tracing;
            notice = batch.stats.traceNotice;
            history.apply(batch.events, batch.updated);
        });
        poller.start();
        QTRY_VERIFY_WITH_TIMEOUT(batches > 0, 10000);
        if (!tracing)
            QSKIP(qPrintable(QStringLiteral("not tracing: ") + notice));

        auto [client, server, pairPort] = connectPair(listener.get(), kPort);
        const auto clientPort = pairPort; // clang 14 cannot capture a structured binding
        QVERIFY(clientPort != 0);
        client.reset();
        // The server reads the FIN before it closes, as a server would.
        char byte;
        QTRY_COMPARE_WITH_TIMEOUT(::recv(server.get(), &byte, 1, MSG_DONTWAIT), ssize_t(0), 5000);
        server.reset();

        // Found as a learner would: the server's ended end, then its peer.
        const auto clientEntry = [&]() -> const ConnectionEntry * {
            const ConnectionKey serverKey{Family::IPv4, loopbackEndpoint(kPort),
                                          loopbackEndpoint(clientPort)};
            for (const ConnectionEntry *entry : history.ended()) {
                if (connectionKeyOf(entry->view.socket) == serverKey)
                    return history.peerOf(entry->view.id);
            }
            return nullptr;
        };
        // The server's end goes at LAST_ACK's ACK; the client's TIME_WAIT may
        // come from the next full dump (seconds apart under load).
        const auto complete = [&] {
            const ConnectionEntry *c = clientEntry();
            return c && c->view.socket.state == TcpState::TimeWait;
        };
        QTRY_VERIFY_WITH_TIMEOUT(complete(), 15000);
        const ConnectionEntry *clientSide = clientEntry();
        const ConnectionEntry *serverSide = history.peerOf(clientSide->view.id);
        QVERIFY(serverSide);
        QCOMPARE(serverSide->view.socket.local.port, kPort);
        QVERIFY(serverSide->ended());
        QVERIFY(!clientSide->ended()); // TIME_WAIT: still there

        const SegmentLadder ladder = deriveLadder(clientSide->steps, serverSide->steps);
        QCOMPARE(arrows(ladder), QStringList({"SYN 0>1", "SYN,ACK 1>0", "ACK 0>1", "FIN 0>1",
                                              "ACK 1>0", "FIN 1>0", "ACK 0>1"}));
        QCOMPARE(ladder.open[0], OpenRole::Client);
        QCOMPARE(ladder.open[1], OpenRole::Server);
        QCOMPARE(ladder.close[0], CloseRole::Active);
        QCOMPARE(ladder.close[1], CloseRole::Passive);
        // The client's FIN is traced at both ends: sent before it arrived.
        const LadderSegment &fin = ladder.segments[3];
        QVERIFY(fin.sentNs >= 0 && fin.receivedNs >= fin.sentNs);
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestTracedLadder, QCoreApplication)
#include "tst_tracedladder.moc"
