// SPDX-License-Identifier: GPL-3.0-or-later
// The ladder widget sizes itself to its text: a bigger font, a longer ladder
// or a longer address asks for more room (its scroll area then scrolls)
// rather than clipping.
#include "panes/ladderwidget.h"

#include <QApplication>
#include <QTest>

using namespace sockscope;

namespace {
ConnectionStep step(EventKind kind, TcpState from, TcpState to, std::int64_t ms)
{
    ConnectionStep s;
    s.kind = kind;
    s.source = EventSource::Trace;
    s.from = from;
    s.to = to;
    s.timeNs = ms * 1'000'000;
    return s;
}

QList<ConnectionStep> clientSteps()
{
    return {step(EventKind::Appeared, TcpState::Close, TcpState::SynSent, 0),
            step(EventKind::StateChanged, TcpState::SynSent, TcpState::Established, 1),
            step(EventKind::StateChanged, TcpState::Established, TcpState::FinWait1, 5)};
}
} // namespace

class TestLadderWidget : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void growsWithItsText()
    {
        LadderWidget ladder;
        ladder.setEnds({QStringLiteral("127.0.0.1:40000"), clientSteps()},
                       {QStringLiteral("127.0.0.1:9000"), {}}, false);
        QCOMPARE(ladder.ladder().segments.size(), std::size_t(4)); // SYN, SYN,ACK, ACK, FIN
        const QSize small = ladder.minimumSizeHint();
        QCOMPARE(ladder.minimumSize(), small);

        // Two labels and the arrows' room between them, at least.
        const QFontMetrics fm = ladder.fontMetrics();
        QVERIFY(small.width() > 2 * fm.horizontalAdvance(QStringLiteral("ESTABLISHED")) +
                                    fm.horizontalAdvance(QStringLiteral("SYN,ACK")));

        QFont big = ladder.font();
        big.setPointSizeF(big.pointSizeF() * 2);
        ladder.setFont(big);
        QVERIFY(ladder.minimumSizeHint().width() > small.width() * 3 / 2);
        QVERIFY(ladder.minimumSizeHint().height() > small.height() * 3 / 2);
        ladder.setFont(QFont());

        // A longer address widens it; more steps lengthen it.
        ladder.setEnds(
            {QStringLiteral("[2001:db8:1234:5678:9abc:def0:1234:5678]:40000"), clientSteps()},
            {QStringLiteral("127.0.0.1:9000"), {}}, false);
        QVERIFY(ladder.minimumSizeHint().width() > small.width());
        QList<ConnectionStep> longer = clientSteps();
        longer << step(EventKind::StateChanged, TcpState::FinWait1, TcpState::FinWait2, 7)
               << step(EventKind::StateChanged, TcpState::FinWait2, TcpState::TimeWait, 9);
        ladder.setEnds({QStringLiteral("127.0.0.1:40000"), longer},
                       {QStringLiteral("127.0.0.1:9000"), {}}, false);
        QVERIFY(ladder.minimumSizeHint().height() > small.height());
        QVERIFY(!ladder.grab().isNull());
    }

    void clearedAsksForLittle()
    {
        LadderWidget ladder;
        ladder.setEnds({QStringLiteral("127.0.0.1:40000"), clientSteps()},
                       {QStringLiteral("127.0.0.1:9000"), {}}, false);
        const int full = ladder.minimumSizeHint().width();
        ladder.clear();
        QVERIFY(ladder.minimumSizeHint().width() < full);
        QVERIFY(ladder.ladder().segments.empty());
    }
};

QTEST_MAIN(TestLadderWidget)
#include "tst_ladderwidget.moc"
