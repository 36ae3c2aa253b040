// SPDX-License-Identifier: GPL-3.0-or-later
// The segments two ends' transitions imply, one row per way a connection can
// open and close. Each end is a script of steps, times in ms:
//   "SYN_SENT@0"  a transition to SYN_SENT (from the state before; the first
//                 step comes from CLOSE, or LISTEN for SYN_RECV)
//   "gone@9"      the connection ended in the state it was in
//   "rst>@9" / "rst<@9"  a reset sent / received
// The ladder is written "KIND a>b" per segment in time order, a and b the
// sides (0, 1), with "?" for a time that end did not tell, then the roles.
#include "events/segmentladder.h"

#include <QTest>

using namespace sockscope;

namespace {
QList<ConnectionStep> script(const QString &text)
{
    QList<ConnectionStep> steps;
    TcpState state = TcpState::Close;
    for (const QString &token : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QStringList parts = token.split(QLatin1Char('@'));
        ConnectionStep step;
        step.source = EventSource::Trace;
        step.timeNs = parts.value(1).toLongLong() * 1'000'000;
        step.from = state;
        const QString what = parts.first();
        if (what == QLatin1String("gone")) {
            step.kind = EventKind::Gone;
        } else if (what == QLatin1String("rst>") || what == QLatin1String("rst<")) {
            step.kind =
                what.endsWith(QLatin1Char('>')) ? EventKind::ResetSent : EventKind::ResetReceived;
            step.to = state;
        } else {
            step.to = tcpStateFromName(what).value_or(TcpState::Unknown);
            step.kind = steps.isEmpty() ? EventKind::Appeared : EventKind::StateChanged;
            if (steps.isEmpty() && step.to == TcpState::SynRecv)
                step.from = TcpState::Listen;
            state = step.to;
        }
        steps << step;
    }
    return steps;
}

QString describe(const SegmentLadder &ladder)
{
    QStringList words;
    for (const LadderSegment &segment : ladder.segments) {
        const auto end = [](std::int64_t ns, int side) {
            return ns >= 0 ? QString::number(side) : QStringLiteral("?");
        };
        words << segmentName(segment.kind) + QLatin1Char(' ') +
                     end(segment.sentNs, segment.sender) + QLatin1Char('>') +
                     end(segment.receivedNs, 1 - segment.sender);
    }
    QStringList roles;
    for (std::size_t side = 0; side < 2; ++side) {
        QStringList role{openRoleName(ladder.open[side]), closeRoleName(ladder.close[side])};
        role.removeAll(QString());
        roles << role.join(QLatin1Char('/'));
    }
    return words.join(QStringLiteral(", ")) + QStringLiteral(" | ") +
           roles.join(QStringLiteral(" | "));
}
} // namespace

class TestSegmentLadder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void derive_data()
    {
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::addColumn<QString>("ladder");
        const QString handshake = QStringLiteral("SYN 0>1, SYN,ACK 1>0, ACK 0>1");
        QTest::newRow("client closes first")
            << "SYN_SENT@0 ESTABLISHED@2 FIN_WAIT1@10 FIN_WAIT2@12 TIME_WAIT@15"
            << "SYN_RECV@1 ESTABLISHED@3 CLOSE_WAIT@11 LAST_ACK@14 gone@16"
            << handshake + ", FIN 0>1, ACK 1>0, FIN 1>0, ACK 0>1"
                           " | client/active closer | server/passive closer";
        QTest::newRow("server closes first")
            << "SYN_SENT@0 ESTABLISHED@2 CLOSE_WAIT@11 LAST_ACK@14 gone@16"
            << "SYN_RECV@1 ESTABLISHED@3 FIN_WAIT1@10 FIN_WAIT2@12 TIME_WAIT@15"
            << handshake + ", FIN 1>0, ACK 0>1, FIN 0>1, ACK 1>0"
                           " | client/passive closer | server/active closer";
        // Linux answers the SYN from a request socket; the connection's own
        // socket reports LISTEN -> SYN_RECV only once the ACK is in.
        QTest::newRow("SYN_RECV reported on the ACK")
            << "SYN_SENT@0 ESTABLISHED@2"
            << "SYN_RECV@3 ESTABLISHED@3"
            << "SYN 0>?, SYN,ACK ?>0, ACK 0>1 | client | server";
        QTest::newRow("simultaneous close")
            << "SYN_SENT@0 ESTABLISHED@2 FIN_WAIT1@10 CLOSING@12 TIME_WAIT@14"
            << "SYN_RECV@1 ESTABLISHED@3 FIN_WAIT1@11 CLOSING@13 TIME_WAIT@15"
            << handshake + ", FIN 0>1, FIN 1>0, ACK 0>1, ACK 1>0"
                           " | client/simultaneous close | server/simultaneous close";
        QTest::newRow("FIN and ACK together")
            << "SYN_SENT@0 ESTABLISHED@2 FIN_WAIT1@10 TIME_WAIT@13"
            << "SYN_RECV@1 ESTABLISHED@3 CLOSE_WAIT@11 LAST_ACK@12 gone@14"
            << handshake + ", FIN 0>1, ACK 1>0, FIN 1>0, ACK 0>1"
                           " | client/active closer | server/passive closer";
        // close() with SO_LINGER 0: CLOSE first, the reset after.
        QTest::newRow("reset by SO_LINGER 0") << "SYN_SENT@0 ESTABLISHED@2 gone@10 rst>@10"
                                              << "SYN_RECV@1 ESTABLISHED@3 rst<@11 gone@11"
                                              << handshake + ", RST 0>1 | client | server";
        QTest::newRow("refused connect, one side") << "SYN_SENT@0 rst<@1 gone@1"
                                                   << ""
                                                   << "SYN 0>?, RST ?>0 | client | server";
        QTest::newRow("client only, remote peer")
            << "SYN_SENT@0 ESTABLISHED@2 FIN_WAIT1@10 FIN_WAIT2@12 TIME_WAIT@15"
            << ""
            << "SYN 0>?, SYN,ACK ?>0, ACK 0>?, FIN 0>?, ACK ?>0, FIN ?>0, ACK 0>?"
               " | client/active closer | server/passive closer";
        QTest::newRow("server only, peer closed")
            << "SYN_RECV@1 ESTABLISHED@3 CLOSE_WAIT@11"
            << ""
            << "SYN ?>0, SYN,ACK 0>?, ACK ?>0, FIN ?>0, ACK 0>?"
               " | server/passive closer | client/active closer";
        // Watching began mid-connection: the close alone, nothing invented.
        QTest::newRow("seen from ESTABLISHED on")
            << "ESTABLISHED@0 FIN_WAIT1@10 FIN_WAIT2@12"
            << "ESTABLISHED@0 CLOSE_WAIT@11"
            << "FIN 0>1, ACK 1>0 | active closer | passive closer";
    }
    void derive()
    {
        QFETCH(QString, first);
        QFETCH(QString, second);
        QFETCH(QString, ladder);
        QCOMPARE(describe(deriveLadder(script(first), script(second))), ladder);
    }

    void sendersProcessIsKept()
    {
        QList<ConnectionStep> client =
            script(QStringLiteral("SYN_SENT@0 ESTABLISHED@2 FIN_WAIT1@5"));
        client[2].pid = 42;
        client[2].command = QStringLiteral("nc");
        const SegmentLadder ladder = deriveLadder(client);
        QCOMPARE(ladder.segments.back().kind, SegmentKind::Fin);
        QCOMPARE(ladder.segments.back().pid, 42);
        QCOMPARE(ladder.segments.back().command, QStringLiteral("nc"));
    }
};

QTEST_GUILESS_MAIN(TestSegmentLadder)
#include "tst_segmentladder.moc"
