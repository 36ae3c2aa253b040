// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/diagramlayout.h"
#include "diagram/diagramstepbar.h"
#include "diagram/statediagramwidget.h"
#include "diagram/statehelp.h"

#include <QAction>
#include <QApplication>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QImage>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>

using namespace sockscope;

namespace {

// ctest sets the platform; this keeps a direct run from a terminal headless too.
void useOffscreenPlatform()
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}
Q_CONSTRUCTOR_FUNCTION(useOffscreenPlatform)

const QList<TcpState> kAllStates = {
    TcpState::Close,       TcpState::Listen,    TcpState::SynSent,  TcpState::SynRecv,
    TcpState::Established, TcpState::FinWait1,  TcpState::FinWait2, TcpState::Closing,
    TcpState::TimeWait,    TcpState::CloseWait, TcpState::LastAck,
};

QString edgeName(const DiagramLayout &layout, int edge)
{
    const DiagramEdge &e = layout.edges().at(edge);
    return tcpStateName(e.from) + QLatin1Char('>') + tcpStateName(e.to);
}

QStringList edgeNames(const DiagramLayout &layout, const QList<int> &edges)
{
    QStringList names;
    for (int edge : edges)
        names << edgeName(layout, edge);
    return names;
}

bool onBorder(const QRectF &r, const QPointF &p)
{
    const bool vertical = (qFuzzyCompare(p.x(), r.left()) || qFuzzyCompare(p.x(), r.right())) &&
                          p.y() >= r.top() && p.y() <= r.bottom();
    const bool horizontal = (qFuzzyCompare(p.y(), r.top()) || qFuzzyCompare(p.y(), r.bottom())) &&
                            p.x() >= r.left() && p.x() <= r.right();
    return vertical || horizontal;
}

// An axis-aligned segment as a rectangle one pixel thick, for overlap checks.
QRectF segmentRect(const QPointF &a, const QPointF &b)
{
    return QRectF(a, b).normalized().adjusted(-0.5, -0.5, 0.5, 0.5);
}

std::array<int, kTcpStateCount> countsWith(TcpState state, int count)
{
    std::array<int, kTcpStateCount> counts{};
    counts.at(static_cast<std::size_t>(state)) = count;
    return counts;
}

QImage renderOf(StateDiagramWidget &widget)
{
    QImage image(widget.size(), QImage::Format_ARGB32_Premultiplied);
    widget.render(&image);
    return image;
}

// Inside the box, clear of its border, its text and its count badge.
QPoint fillPoint(const QRectF &box)
{
    return QPointF(box.left() + 6, box.bottom() - 6).toPoint();
}

int distance(const QColor &a, const QColor &b)
{
    return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) +
           std::abs(a.blue() - b.blue());
}

class PaintCounter : public QObject
{
public:
    int paints = 0;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++paints;
        return QObject::eventFilter(watched, event);
    }
};

} // namespace

class TestStateDiagram : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void layoutHasEveryStateAndEdge()
    {
        const DiagramLayout layout;
        for (TcpState state : kAllStates)
            QVERIFY2(layout.primaryBox(state) >= 0, qPrintable(tcpStateName(state)));
        QCOMPARE(layout.primaryBox(TcpState::Unknown), -1);
        // RFC 9293 figure 5: twenty transitions, none listed twice.
        QCOMPARE(layout.edges().size(), 20);
        QSet<QString> seen;
        for (int i = 0; i < layout.edges().size(); ++i)
            seen.insert(edgeName(layout, i));
        QCOMPARE(seen.size(), 20);
        QVERIFY(layout.edgeBetween(TcpState::TimeWait, TcpState::Close) >= 0);
        QVERIFY(layout.edgeBetween(TcpState::LastAck, TcpState::Close) >= 0);
        QCOMPARE(layout.edgeBetween(TcpState::Established, TcpState::FinWait2), -1);
    }

    void routesRunBetweenBoxBorders()
    {
        const DiagramLayout layout;
        const QList<DiagramBox> &boxes = layout.boxes();
        for (const DiagramEdge &edge : layout.edges()) {
            const QByteArray name = edge.text().toUtf8();
            QVERIFY2(edge.route.size() >= 2, name);
            QVERIFY2(onBorder(boxes.at(edge.fromBox).rect, edge.route.first()), name);
            QVERIFY2(onBorder(boxes.at(edge.toBox).rect, edge.route.last()), name);
            for (qsizetype i = 1; i < edge.route.size(); ++i) {
                const QPointF a = edge.route[i - 1];
                const QPointF b = edge.route[i];
                QVERIFY2(qFuzzyCompare(a.x(), b.x()) || qFuzzyCompare(a.y(), b.y()), name);
                // Only its own two boxes may touch a route, and only at its ends.
                for (int box = 0; box < boxes.size(); ++box) {
                    const QRectF inner = boxes.at(box).rect.adjusted(1, 1, -1, -1);
                    QVERIFY2(!segmentRect(a, b).intersects(inner), name);
                }
            }
        }
    }

    void pathBetween_data()
    {
        QTest::addColumn<TcpState>("from");
        QTest::addColumn<TcpState>("to");
        QTest::addColumn<QStringList>("edges");
        QTest::newRow("direct") << TcpState::Listen << TcpState::SynRecv
                                << QStringList{"LISTEN>SYN_RECV"};
        QTest::newRow("skipped FIN_WAIT1")
            << TcpState::Established << TcpState::FinWait2
            << QStringList{"ESTABLISHED>FIN_WAIT1", "FIN_WAIT1>FIN_WAIT2"};
        QTest::newRow("skipped handshake")
            << TcpState::Listen << TcpState::Established
            << QStringList{"LISTEN>SYN_RECV", "SYN_RECV>ESTABLISHED"};
        QTest::newRow("FIN and ACK together")
            << TcpState::FinWait1 << TcpState::TimeWait
            << QStringList{"FIN_WAIT1>FIN_WAIT2", "FIN_WAIT2>TIME_WAIT"};
        QTest::newRow("to the repeated CLOSED")
            << TcpState::TimeWait << TcpState::Close << QStringList{"TIME_WAIT>CLOSE"};
        QTest::newRow("same state") << TcpState::Listen << TcpState::Listen << QStringList{};
        QTest::newRow("unknown") << TcpState::Unknown << TcpState::Listen << QStringList{};
    }

    void pathBetween()
    {
        QFETCH(TcpState, from);
        QFETCH(TcpState, to);
        QFETCH(QStringList, edges);
        const DiagramLayout layout;
        QCOMPARE(edgeNames(layout, layout.pathBetween(from, to)), edges);
    }

    void countsLightBoxes()
    {
        StateDiagramWidget widget;
        widget.resize(520, 560);
        widget.setCounts(countsWith(TcpState::Listen, 3));
        QImage image = renderOf(widget);
        const QColor lit = image.pixelColor(fillPoint(widget.boxRect(TcpState::Listen)));
        const QColor unlit = image.pixelColor(fillPoint(widget.boxRect(TcpState::Closing)));
        QVERIFY2(distance(lit, unlit) > 60, qPrintable(lit.name() + unlit.name()));

        // More connections, stronger colour.
        const QColor base = widget.palette().color(QPalette::Base);
        widget.setCounts(countsWith(TcpState::Listen, 1));
        const QColor few = renderOf(widget).pixelColor(fillPoint(widget.boxRect(TcpState::Listen)));
        widget.setCounts(countsWith(TcpState::Listen, 40));
        const QColor many =
            renderOf(widget).pixelColor(fillPoint(widget.boxRect(TcpState::Listen)));
        QVERIFY(distance(many, base) > distance(few, base));

        // Back to zero: plain again.
        widget.setCounts({});
        image = renderOf(widget);
        QCOMPARE(image.pixelColor(fillPoint(widget.boxRect(TcpState::Listen))), unlit);
    }

    void flashLightsDirectEdge()
    {
        StateDiagramWidget widget;
        widget.flashTransition(TcpState::Listen, TcpState::SynRecv);
        QCOMPARE(edgeNames(widget.layout(), widget.flashingEdges()),
                 QStringList{"LISTEN>SYN_RECV"});
        QCOMPARE(widget.activeFlashes(), 1);
        // The same transition again restarts its fade rather than adding a flash.
        widget.flashTransition(TcpState::Listen, TcpState::SynRecv);
        QCOMPARE(widget.activeFlashes(), 1);
    }

    void flashLightsPathOverMissingState()
    {
        StateDiagramWidget widget;
        widget.flashTransition(TcpState::Established, TcpState::FinWait2);
        QStringList names = edgeNames(widget.layout(), widget.flashingEdges());
        names.sort();
        QCOMPARE(names, (QStringList{"ESTABLISHED>FIN_WAIT1", "FIN_WAIT1>FIN_WAIT2"}));
        QCOMPARE(widget.activeFlashes(), 2);
    }

    void flashIgnoresNonTransitions()
    {
        StateDiagramWidget widget;
        widget.flashTransition(TcpState::Unknown, TcpState::Listen);
        widget.flashTransition(TcpState::Established, TcpState::Unknown);
        widget.flashTransition(TcpState::Listen, TcpState::Listen);
        QCOMPARE(widget.activeFlashes(), 0);
    }

    // A learner reads the step's text before the highlight goes: a transition
    // stays lit, after its first brightness settles, until a later one replaces it.
    void flashStaysUntilReplaced()
    {
        StateDiagramWidget widget;
        widget.resize(520, 560);
        widget.setFlashDurationMs(200);
        const QImage unlit = renderOf(widget);
        widget.flashTransition(TcpState::CloseWait, TcpState::LastAck);
        QTRY_VERIFY(!widget.flashSettling());
        QCOMPARE(edgeNames(widget.layout(), widget.flashingEdges()),
                 QStringList{"CLOSE_WAIT>LAST_ACK"});
        // Still drawn in the accent colour, not faded back to a plain line.
        const int edge = widget.layout().edgeBetween(TcpState::CloseWait, TcpState::LastAck);
        const QPolygonF route = widget.edgeRoute(edge);
        const QPoint middle = ((route.first() + route.last()) / 2).toPoint();
        const QColor plain = unlit.pixelColor(middle);
        const QColor lit = renderOf(widget).pixelColor(middle);
        QVERIFY2(distance(plain, lit) > 100, qPrintable(plain.name() + lit.name()));

        // Within a second (a handshake's steps): lit together.
        widget.flashTransition(TcpState::LastAck, TcpState::Close);
        QCOMPARE(widget.activeFlashes(), 2);
        // Later: the new transition replaces them.
        QTest::qWait(1100);
        widget.flashTransition(TcpState::Listen, TcpState::SynRecv);
        QCOMPARE(edgeNames(widget.layout(), widget.flashingEdges()),
                 QStringList{"LISTEN>SYN_RECV"});
    }

    void idleDiagramDoesNotRepaint()
    {
        StateDiagramWidget widget;
        widget.resize(520, 560);
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        PaintCounter counter;
        widget.installEventFilter(&counter);
        widget.setFlashDurationMs(600);
        widget.flashTransition(TcpState::SynSent, TcpState::Established);
        QTRY_VERIFY(counter.paints >= 2); // the flash settles, animated
        QTRY_VERIFY(!widget.flashSettling());
        QTest::qWait(100); // the last frame
        counter.paints = 0;
        QTest::qWait(400);
        QCOMPARE(counter.paints, 0);
        QCOMPARE(widget.activeFlashes(), 1); // settled, still lit
    }

    void tracedPathFollowsEdges()
    {
        StateDiagramWidget widget;
        widget.setTracedPath({{TcpState::Established, 0, 10},
                              {TcpState::FinWait1, 10, 20},
                              {TcpState::FinWait2, 20, 30},
                              {TcpState::TimeWait, 30, -1}});
        QCOMPARE(
            edgeNames(widget.layout(), widget.tracedEdges()),
            (QStringList{"ESTABLISHED>FIN_WAIT1", "FIN_WAIT1>FIN_WAIT2", "FIN_WAIT2>TIME_WAIT"}));
        // A poll that missed FIN_WAIT1 still traces through it.
        widget.setTracedPath({{TcpState::Established, 0, 10}, {TcpState::FinWait2, 10, -1}});
        QCOMPARE(edgeNames(widget.layout(), widget.tracedEdges()),
                 (QStringList{"ESTABLISHED>FIN_WAIT1", "FIN_WAIT1>FIN_WAIT2"}));
        // Traced states that lasted microseconds (entered and left in the same
        // millisecond) are steps of their own, numbered in order.
        widget.setTracedPath({{TcpState::SynSent, 5, 5},
                              {TcpState::Established, 5, 5},
                              {TcpState::FinWait1, 5, 5},
                              {TcpState::FinWait2, 5, 6},
                              {TcpState::TimeWait, 6, -1}});
        QCOMPARE(edgeNames(widget.layout(), widget.tracedEdges()),
                 (QStringList{"SYN_SENT>ESTABLISHED", "ESTABLISHED>FIN_WAIT1",
                              "FIN_WAIT1>FIN_WAIT2", "FIN_WAIT2>TIME_WAIT"}));

        widget.resize(520, 560);
        const QImage traced = renderOf(widget);
        widget.clearTracedPath();
        QVERIFY(widget.tracedEdges().isEmpty());
        QVERIFY(renderOf(widget) != traced);
    }

    void stepsThroughAConnectionsHistory()
    {
        StateDiagramWidget widget;
        widget.resize(520, 640);
        QVERIFY(widget.stepCaption().isEmpty());
        ConnectionView view;
        view.id = 7;
        view.history = {{TcpState::Established, 100, 110},
                        {TcpState::FinWait1, 110, 130},
                        {TcpState::FinWait2, 130, 142},
                        {TcpState::TimeWait, 142, -1}};
        widget.showConnectionHistory(view);
        // Live: the newest step is the one in view.
        QVERIFY(widget.isLive());
        QCOMPARE(widget.currentStep(), 3);
        QCOMPARE(
            widget.stepCaption(),
            QStringLiteral("step 3 of 3: FIN_WAIT2 → TIME_WAIT at +42 ms · rcv FIN / snd ACK"));
        widget.stepBack();
        widget.stepBack();
        QVERIFY(!widget.isLive());
        QCOMPARE(
            widget.stepCaption(),
            QStringLiteral("step 1 of 3: ESTABLISHED → FIN_WAIT1 at +10 ms · close / snd FIN"));
        QCOMPARE(edgeNames(widget.layout(), widget.currentStepEdges()),
                 QStringList{"ESTABLISHED>FIN_WAIT1"});
        // The connection moves on: the step in view stays where the learner is.
        view.history.last().leftMs = 60142;
        view.history.append({TcpState::Close, 60142, 60142});
        widget.showConnectionHistory(view);
        QCOMPARE(widget.currentStep(), 1);
        QCOMPARE(widget.steps().count(), 4);
        widget.stepBack();
        QCOMPARE(widget.currentStep(), 0);
        QCOMPARE(widget.stepCaption(), QStringLiteral("step 0 of 4: first seen in ESTABLISHED"));
        widget.stepBack(); // nothing before the first state
        QCOMPARE(widget.currentStep(), 0);
        QVERIFY(widget.currentStepEdges().isEmpty());
        const QImage stepZero = renderOf(widget);
        widget.stepForward();
        QCOMPARE(edgeNames(widget.layout(), widget.currentStepEdges()),
                 QStringList{"ESTABLISHED>FIN_WAIT1"});
        // Drawn differently from the step before it.
        QVERIFY(renderOf(widget) != stepZero);
        // Forward to the newest step: following the connection again.
        widget.stepForward();
        widget.stepForward();
        QVERIFY(!widget.isLive());
        widget.stepForward();
        QVERIFY(widget.isLive());
        QCOMPARE(widget.currentStep(), 4);
        QVERIFY(widget.stepCaption().startsWith(
            QStringLiteral("step 4 of 4: TIME_WAIT → CLOSED at +1 min 00 s")));

        // Another connection starts live at its newest step.
        widget.stepBack();
        view.id = 8;
        widget.showConnectionHistory(view);
        QVERIFY(widget.isLive());
        QCOMPARE(widget.currentStep(), 4);
        widget.clearConnectionHistory();
        QVERIFY(widget.stepCaption().isEmpty());
        QVERIFY(widget.tracedEdges().isEmpty());
    }

    void replaysSlowlyThenFollowsLive()
    {
        StateDiagramWidget widget;
        widget.setReplayStepMs(400);
        widget.setTracedPath({{TcpState::SynSent, 0, 1},
                              {TcpState::Established, 1, 20},
                              {TcpState::CloseWait, 20, -1}});
        widget.replay();
        QVERIFY(widget.isReplaying());
        QCOMPARE(widget.currentStep(), 0);
        QTRY_COMPARE(widget.currentStep(), 1);
        QVERIFY(!widget.isLive());
        QTRY_VERIFY(!widget.isReplaying());
        QCOMPARE(widget.currentStep(), 2);
        QVERIFY(widget.isLive());
    }

    void keyboardAndButtonsStep()
    {
        StateDiagramWidget widget;
        widget.resize(520, 640);
        widget.show();
        QVERIFY(QTest::qWaitForWindowActive(&widget));
        widget.setTracedPath({{TcpState::SynSent, 0, 1},
                              {TcpState::Established, 1, 20},
                              {TcpState::CloseWait, 20, -1}});
        QVERIFY(widget.stepBar()->isVisible());
        QVERIFY(widget.figureArea().bottom() <= widget.stepBar()->geometry().top());
        QTest::keyClick(&widget, Qt::Key_Left, Qt::AltModifier);
        QCOMPARE(widget.currentStep(), 1);
        QTest::keyClick(&widget, Qt::Key_End, Qt::AltModifier);
        QCOMPARE(widget.currentStep(), 2);
        QVERIFY(widget.isLive());
        auto *caption = widget.stepBar()->findChild<QLabel *>(QStringLiteral("diagramStepCaption"));
        QVERIFY(caption);
        QCOMPARE(caption->text(), widget.stepCaption());
        widget.stepBar()->backAction()->trigger();
        QCOMPARE(widget.currentStep(), 1);
        QVERIFY(!widget.stepBar()->liveAction()->isChecked());
        QTest::keyClick(&widget, Qt::Key_Right, Qt::AltModifier);
        QCOMPARE(widget.currentStep(), 2);
        QVERIFY(widget.stepBar()->liveAction()->isChecked());
        QVERIFY(!widget.stepBar()->forwardAction()->isEnabled());
        // No history, no strip: the figure has the whole widget.
        widget.clearConnectionHistory();
        QVERIFY(widget.stepBar()->isHidden());
        QCOMPARE(widget.figureArea(), QRectF(widget.rect()));
    }

    void filteredStateIsMarked()
    {
        StateDiagramWidget widget;
        widget.resize(520, 560);
        const QImage plain = renderOf(widget);
        widget.setFilteredState(TcpState::CloseWait);
        QCOMPARE(widget.filteredState(), std::optional<TcpState>(TcpState::CloseWait));
        const QImage marked = renderOf(widget);
        // A ring just outside the box, in the highlight colour.
        const QRectF box = widget.boxRect(TcpState::CloseWait);
        const QPoint ring = QPointF(box.center().x(), box.top() - 6.5).toPoint();
        QVERIFY(distance(plain.pixelColor(ring), marked.pixelColor(ring)) > 100);
        widget.setFilteredState(std::nullopt);
        QCOMPARE(renderOf(widget), plain);
    }

    void clickEmitsState_data()
    {
        QTest::addColumn<int>("box");
        const DiagramLayout layout;
        for (int box = 0; box < layout.boxes().size(); ++box) {
            const DiagramBox &b = layout.boxes().at(box);
            const QString name =
                tcpStateName(b.state) + (b.repeat ? QStringLiteral(" (repeat)") : QString());
            QTest::newRow(qPrintable(name)) << box;
        }
    }

    void clickEmitsState()
    {
        QFETCH(int, box);
        StateDiagramWidget widget;
        widget.resize(700, 700);
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        QSignalSpy spy(&widget, &StateDiagramWidget::stateClicked);
        QTest::mouseClick(&widget, Qt::LeftButton, {}, widget.boxRectAt(box).center().toPoint());
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.at(0).at(0).value<TcpState>(), widget.layout().boxes().at(box).state);
    }

    void clickOutsideBoxesEmitsNothing()
    {
        StateDiagramWidget widget;
        widget.resize(520, 560);
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        QSignalSpy spy(&widget, &StateDiagramWidget::stateClicked);
        QTest::mouseClick(&widget, Qt::LeftButton, {}, QPoint(3, 550));
        // Pressed on one box, released on another: not a click.
        QTest::mousePress(&widget, Qt::LeftButton, {},
                          widget.boxRect(TcpState::Listen).center().toPoint());
        QTest::mouseRelease(&widget, Qt::LeftButton, {},
                            widget.boxRect(TcpState::Closing).center().toPoint());
        QCOMPARE(spy.size(), 0);
    }

    void tooltipExplainsState()
    {
        for (TcpState state : kAllStates)
            QVERIFY2(tcpStateMeaning(state).endsWith(QLatin1Char('.')),
                     qPrintable(tcpStateName(state)));
        QVERIFY(tcpStateMeaning(TcpState::CloseWait).contains(QStringLiteral("close()")));

        StateDiagramWidget widget;
        widget.resize(520, 560);
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        const QPoint pos = widget.boxRect(TcpState::CloseWait).center().toPoint();
        QHelpEvent help(QEvent::ToolTip, pos, widget.mapToGlobal(pos));
        QApplication::sendEvent(&widget, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY(QToolTip::text().contains(tcpStateMeaning(TcpState::CloseWait)));
        QToolTip::hideText();
    }

    // Where labels are left out, an arrow's tooltip still says what it means.
    void arrowTooltipGivesTheLabel()
    {
        StateDiagramWidget widget;
        widget.resize(306, 290);
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        QVERIFY(!widget.text().showLabels);
        const int edge = widget.layout().edgeBetween(TcpState::TimeWait, TcpState::Close);
        const QPolygonF route = widget.edgeRoute(edge);
        const QPoint pos = ((route.first() + route.last()) / 2).toPoint();
        QHelpEvent help(QEvent::ToolTip, pos, widget.mapToGlobal(pos));
        QApplication::sendEvent(&widget, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(QStringLiteral("timeout 2MSL")),
                 qPrintable(QToolTip::text()));
        QToolTip::hideText();
    }

    void scalesWithoutOverlap_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("preferred") << QSize(520, 560);
        QTest::newRow("large") << QSize(1000, 800);
        QTest::newRow("minimum") << StateDiagramWidget().minimumSizeHint();
        QTest::newRow("tall") << QSize(600, 1200);
        QTest::newRow("wide") << QSize(1600, 480);
        // The diagram's pane in a 1280x800 and a 1920x1080 window.
        QTest::newRow("1280x800 window") << QSize(306, 290);
        QTest::newRow("1920x1080 window") << QSize(560, 470);
        QTest::newRow("tiny") << QSize(240, 260);
    }

    void scalesWithoutOverlap()
    {
        QFETCH(QSize, size);
        StateDiagramWidget widget;
        widget.resize(size);
        const QRectF area(widget.rect());
        const DiagramLayout &layout = widget.layout();
        const qsizetype boxes = layout.boxes().size();
        const qsizetype edges = layout.edges().size();
        // Every state name fits its box, at any size.
        const QFontMetricsF names(widget.text().state);
        for (int i = 0; i < boxes; ++i) {
            const QRectF box = widget.boxRectAt(i);
            const QString name = tcpStateFigureName(layout.boxes().at(i).state);
            QVERIFY2(names.horizontalAdvance(name) <= box.width() && names.height() <= box.height(),
                     qPrintable(name));
            QVERIFY(area.contains(box));
            for (int j = i + 1; j < boxes; ++j)
                QVERIFY(!box.intersects(widget.boxRectAt(j)));
        }
        // Too small to read them: the labels are left out (the arrows' tooltips
        // carry them), never drawn over each other.
        const bool roomy = size.width() >= 390 && size.height() >= 420;
        QVERIFY(widget.text().showLabels || !roomy);
        if (!widget.text().showLabels)
            return;
        QVERIFY(widget.text().label.pixelSize() >= kSmallestLabelPx);
        for (int i = 0; i < edges; ++i) {
            const QRectF label = widget.labelRect(i);
            const QByteArray name = edgeName(layout, i).toUtf8();
            QVERIFY2(area.contains(label), name);
            for (int j = 0; j < boxes; ++j)
                QVERIFY2(!label.intersects(widget.boxRectAt(j)), name);
            for (int j = i + 1; j < edges; ++j)
                QVERIFY2(!label.intersects(widget.labelRect(j)), name);
            // No label lies across a line.
            for (int j = 0; j < edges; ++j) {
                const QPolygonF route = widget.edgeRoute(j);
                for (qsizetype k = 1; k < route.size(); ++k) {
                    const QRectF segment = segmentRect(route[k - 1], route[k]);
                    QVERIFY2(!label.intersects(segment),
                             name + " crosses " + edgeName(layout, j).toUtf8());
                }
            }
        }
    }

    // A larger desktop font gives larger diagram text where there is room,
    // and still no overlap.
    void textFollowsTheFont()
    {
        StateDiagramWidget normal;
        normal.resize(1000, 900);
        QFont small = normal.font();
        small.setPixelSize(13);
        normal.setFont(small);
        StateDiagramWidget large;
        large.resize(1000, 900);
        QFont big = large.font();
        big.setPixelSize(18);
        large.setFont(big);
        QVERIFY(large.text().showLabels);
        QVERIFY2(large.text().label.pixelSize() > normal.text().label.pixelSize(),
                 qPrintable(QString::number(large.text().label.pixelSize())));
        QVERIFY(large.text().state.pixelSize() > normal.text().state.pixelSize());
    }

    void hintsAndTitle()
    {
        StateDiagramWidget widget;
        QCOMPARE(widget.sizeHint(), QSize(520, 560));
        QVERIFY(widget.minimumSizeHint().width() < 520);
        widget.setTitle(QStringLiteral("port 9000"));
        QCOMPARE(widget.title(), QStringLiteral("port 9000"));
    }
};

QTEST_MAIN(TestStateDiagram)
#include "tst_statediagram.moc"
