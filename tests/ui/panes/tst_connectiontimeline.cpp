// SPDX-License-Identifier: GPL-3.0-or-later
// A connection's timeline with the states the trace sees: some last
// microseconds (entered and left in the same millisecond), yet each is a step.
// Run directly with QT_QPA_PLATFORM=offscreen (ctest sets it); with
// SOCKSCOPE_TIMELINE_PNG=/dir/ it also saves what it drew, to look at.
#include "panes/connectiontimeline.h"

#include <QApplication>
#include <QImage>
#include <QSet>
#include <QTest>

using namespace sockscope;

namespace {

// The state colours found along one line through the strip of spans.
QSet<QRgb> stripColours(ConnectionTimeline &timeline)
{
    const QImage image = timeline.grab().toImage().convertToFormat(QImage::Format_RGB32);
    // The strip starts one text line (and the margins) below the top.
    const int y = static_cast<int>(4 + timeline.fontMetrics().height() + 2 +
                                   3 * timeline.devicePixelRatioF());
    QSet<QRgb> colours;
    for (int x = 0; x < image.width(); ++x)
        colours.insert(image.pixel(x, y) & 0xffffff);
    return colours;
}

} // namespace

class TestConnectionTimeline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyStateIsAStep_data()
    {
        QTest::addColumn<QList<StateSpan>>("history");
        QTest::addColumn<qint64>("nowMs");
        using S = TcpState;
        // An aborted connection as traced: all within one millisecond, then gone.
        QTest::newRow("all in one millisecond") << QList<StateSpan>{{S::SynSent, 100, 100},
                                                                    {S::Established, 100, 100},
                                                                    {S::CloseWait, 100, 100},
                                                                    {S::LastAck, 100, 100},
                                                                    {S::Close, 100, 100}}
                                                << qint64(100);
        QTest::newRow("sub-millisecond states before a long one, still in it")
            << QList<StateSpan>{{S::SynSent, 100, 100},
                                {S::Established, 100, 100},
                                {S::CloseWait, 100, 101},
                                {S::LastAck, 101, 101},
                                {S::Close, 101, -1}}
            << qint64(60'000);
    }
    void everyStateIsAStep()
    {
        QFETCH(QList<StateSpan>, history);
        QFETCH(qint64, nowMs);
        ConnectionTimeline timeline;
        timeline.resize(420, timeline.sizeHint().height());
        timeline.setNow(nowMs);
        timeline.setHistory(history, false);
        timeline.setMarkers({{100, QStringLiteral("reset received"), true}});
        const QSet<QRgb> colours = stripColours(timeline);
        for (const StateSpan &span : history)
            QVERIFY2(colours.contains(ConnectionTimeline::stateColor(span.state).rgb() & 0xffffff),
                     qPrintable(tcpStateName(span.state)));
        if (qEnvironmentVariableIsSet("SOCKSCOPE_TIMELINE_PNG"))
            timeline.grab().save(qEnvironmentVariable("SOCKSCOPE_TIMELINE_PNG") +
                                 QTest::currentDataTag() + QStringLiteral(".png"));
    }

    // A 5 ms FIN_WAIT1 once read "FIN_W…" and lab notes at close times
    // overlapped: names fit their spans, texts never cross, tooltips hold all.
    void namesFitAndNothingOverlaps()
    {
        using S = TcpState;
        ConnectionTimeline timeline;
        timeline.setNow(35'000);
        timeline.setHistory({{S::Established, 0, 5000},
                             {S::FinWait1, 5000, 5005},
                             {S::FinWait2, 5005, 5010},
                             {S::TimeWait, 5010, -1}},
                            false);
        const QString refused = QStringLiteral("connect 127.0.0.1:40000 → 127.0.0.1:9000: "
                                               "EADDRINUSE: the connection already exists");
        timeline.setMarkers(
            {{5004, refused, true}, {5008, refused, true}, {20'000, refused, true}});
        timeline.resize(420, timeline.sizeHint().height());
        const ConnectionTimeline::Layout placed = timeline.placement();
        QCOMPARE(placed.spans.size(), 4);
        const QStringList names{"ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT"};
        for (int i = 0; i < names.size(); ++i)
            QVERIFY2(placed.spans[i].width() - 6 >=
                         timeline.fontMetrics().horizontalAdvance(names[i]),
                     qPrintable(names[i]));
        QCOMPARE(timeline.toolTipAt(placed.spans[1].center()), QStringLiteral("FIN_WAIT1 · 5 ms"));
        QCOMPARE(placed.markerTexts.size() + placed.hiddenMarkers.size(), 3);
        QVERIFY(!placed.markerTexts.isEmpty());
        for (int i = 0; i < placed.markerTexts.size(); ++i) {
            QCOMPARE(timeline.toolTipAt(placed.markerTexts[i].center()), refused);
            QVERIFY(!placed.markerTexts[i].intersects(placed.spans.first()));
            for (int j = 0; j < placed.markerTexts.size(); ++j) {
                QVERIFY(i == j || !placed.markerTexts[i].intersects(placed.markerTexts[j]));
                // A later marker's line passes this row: not through its text.
                const double x = placed.markerXs[j];
                QVERIFY(j <= i ||
                        !(placed.markerTexts[i].left() < x && x < placed.markerTexts[i].right()));
            }
        }
        if (!placed.hiddenMarkers.isEmpty())
            QVERIFY(timeline.toolTipAt(placed.more.center()).contains(refused));
        if (qEnvironmentVariableIsSet("SOCKSCOPE_TIMELINE_PNG"))
            timeline.grab().save(qEnvironmentVariable("SOCKSCOPE_TIMELINE_PNG") +
                                 QStringLiteral("markers.png"));
    }
};

QTEST_MAIN(TestConnectionTimeline)
#include "tst_connectiontimeline.moc"
