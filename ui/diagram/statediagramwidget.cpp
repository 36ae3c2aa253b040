// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/statediagramwidget.h"

#include "diagram/diagrampainter.h"
#include "diagram/diagramstepbar.h"
#include "diagram/statehelp.h"

#include <algorithm>
#include <QAction>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

namespace sockscope {

namespace {
// About 30 frames a second is smooth enough for a fade and cheap.
constexpr int kFadeFrameMs = 33;
// Room around the figure so outlines and badges at the border are not clipped.
constexpr double kMargin = 6.0;
// A settled flash: still clearly lit (the accent colour), so a learner can read
// the step before the next transition replaces it.
constexpr double kFlashRest = 0.5;
// Transitions this close together light up together (a handshake's steps).
constexpr qint64 kBurstMs = 1000;
// Slow enough to read each step's caption during a replay.
constexpr int kReplayStepMs = 1200;
// How near an arrow the pointer must be for the arrow's tooltip.
constexpr double kEdgeHitPx = 4.0;
} // namespace

StateDiagramWidget::StateDiagramWidget(QWidget *parent)
    : QWidget(parent), m_stepBar(new DiagramStepBar(this))
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("TCP state diagram"));
    m_traceSteps.resize(m_layout.edges().size());
    m_clock.start();
    m_fadeTimer.setInterval(kFadeFrameMs);
    connect(&m_fadeTimer, &QTimer::timeout, this, &StateDiagramWidget::onFadeTick);
    m_replayTimer.setInterval(kReplayStepMs);
    connect(&m_replayTimer, &QTimer::timeout, this, &StateDiagramWidget::onReplayTick);
    connect(m_stepBar->backAction(), &QAction::triggered, this, &StateDiagramWidget::stepBack);
    connect(m_stepBar->forwardAction(), &QAction::triggered, this,
            &StateDiagramWidget::stepForward);
    connect(m_stepBar->replayAction(), &QAction::triggered, this, &StateDiagramWidget::replay);
    connect(m_stepBar->liveAction(), &QAction::triggered, this, &StateDiagramWidget::followLive);
    showStep(0, true);
}

void StateDiagramWidget::setCounts(const std::array<int, kTcpStateCount> &counts)
{
    if (counts == m_counts)
        return;
    m_counts = counts;
    update();
}

void StateDiagramWidget::setTitle(const QString &title)
{
    if (title == m_title)
        return;
    m_title = title;
    update();
}

void StateDiagramWidget::flashTransition(TcpState from, TcpState to)
{
    const QList<int> path = m_layout.pathBetween(from, to);
    if (path.isEmpty())
        return;
    const qint64 now = m_clock.elapsed();
    const auto newer = [](const Flash &a, const Flash &b) { return a.startMs < b.startMs; };
    const auto newest = std::max_element(m_flashes.cbegin(), m_flashes.cend(), newer);
    if (newest != m_flashes.cend() && now - newest->startMs > kBurstMs)
        m_flashes.clear(); // replaced by this transition
    for (int edge : path) {
        const auto same = [edge](const Flash &flash) { return flash.edge == edge; };
        const auto it = std::find_if(m_flashes.begin(), m_flashes.end(), same);
        if (it != m_flashes.end())
            it->startMs = now; // seen again: bright again
        else
            m_flashes.append({edge, now});
    }
    if (!m_fadeTimer.isActive())
        m_fadeTimer.start();
    update();
}

QList<int> StateDiagramWidget::flashingEdges() const
{
    QList<int> edges;
    for (const Flash &flash : m_flashes)
        edges.append(flash.edge);
    std::sort(edges.begin(), edges.end());
    return edges;
}

double StateDiagramWidget::flashStrength(const Flash &flash) const
{
    const qint64 age = m_clock.elapsed() - flash.startMs;
    const double fading = std::max(0.0, 1.0 - static_cast<double>(age) / m_flashDurationMs);
    return kFlashRest + (1.0 - kFlashRest) * fading;
}

void StateDiagramWidget::onFadeTick()
{
    // All settled: stop, so an idle diagram costs no repaints.
    const auto settled = [this](const Flash &flash) { return flashStrength(flash) <= kFlashRest; };
    if (std::all_of(m_flashes.cbegin(), m_flashes.cend(), settled))
        m_fadeTimer.stop();
    update();
}

void StateDiagramWidget::setTracedPath(const QList<StateSpan> &path)
{
    m_historyId = 0;
    setHistory(path, false);
}

void StateDiagramWidget::showConnectionHistory(const ConnectionView &view)
{
    const bool same = view.id != 0 && view.id == m_historyId;
    m_historyId = view.id;
    setHistory(view.history, same);
}

void StateDiagramWidget::clearConnectionHistory()
{
    m_historyId = 0;
    setHistory({}, false);
}

void StateDiagramWidget::setHistory(const QList<StateSpan> &path, bool keepStep)
{
    m_steps = HistorySteps(path, m_layout);
    m_tracedEdges.clear();
    for (int step = 1; step <= m_steps.count(); ++step)
        m_tracedEdges += m_steps.at(step).edges;
    if (!keepStep) {
        m_replayTimer.stop();
        m_live = true;
    }
    showStep(m_live ? m_steps.count() : std::min(m_step, m_steps.count()), m_live);
}

void StateDiagramWidget::showStep(int step, bool live)
{
    m_step = std::clamp(step, 0, m_steps.count());
    m_live = live;
    m_traceSteps = QList<QList<int>>(m_layout.edges().size());
    for (int s = 1; s <= m_step; ++s) {
        for (int edge : m_steps.at(s).edges)
            m_traceSteps[edge].append(s);
    }
    const bool any = !m_steps.isEmpty();
    m_stepBar->backAction()->setEnabled(any && m_step > 0);
    m_stepBar->forwardAction()->setEnabled(any && m_step < m_steps.count());
    m_stepBar->replayAction()->setEnabled(m_steps.count() > 0);
    m_stepBar->liveAction()->setEnabled(any);
    m_stepBar->liveAction()->setChecked(any && m_live);
    m_stepBar->setCaption(stepCaption());
    // The strip takes room from the figure only while there is a history to step.
    if (m_stepBar->isHidden() == any) {
        m_stepBar->setVisible(any);
        layoutStepBar();
    }
    update();
}

QList<int> StateDiagramWidget::currentStepEdges() const
{
    return m_step > 0 ? m_steps.at(m_step).edges : QList<int>();
}

QString StateDiagramWidget::stepCaption() const
{
    if (m_steps.isEmpty())
        return {};
    return m_steps.caption(m_step);
}

void StateDiagramWidget::stepBack()
{
    if (m_steps.isEmpty() || m_step == 0)
        return;
    m_replayTimer.stop();
    showStep(m_step - 1, false);
}

void StateDiagramWidget::stepForward()
{
    if (m_step >= m_steps.count())
        return;
    m_replayTimer.stop();
    // The newest step reached: following the connection again.
    showStep(m_step + 1, m_step + 1 == m_steps.count());
}

void StateDiagramWidget::replay()
{
    if (m_steps.count() == 0)
        return;
    showStep(0, false);
    m_replayTimer.start();
}

void StateDiagramWidget::onReplayTick()
{
    const bool last = m_step + 1 >= m_steps.count();
    if (last)
        m_replayTimer.stop();
    showStep(m_step + 1, last);
}

void StateDiagramWidget::followLive()
{
    m_replayTimer.stop();
    showStep(m_steps.count(), true);
}

void StateDiagramWidget::setFilteredState(std::optional<TcpState> state)
{
    if (state == m_filteredState)
        return;
    m_filteredState = state;
    update();
}

int StateDiagramWidget::stepBarHeight() const
{
    if (m_stepBar->isHidden())
        return 0;
    const int width = this->width();
    return m_stepBar->hasHeightForWidth() ? m_stepBar->heightForWidth(width)
                                          : m_stepBar->sizeHint().height();
}

QRectF StateDiagramWidget::figureArea() const
{
    return QRectF(0, 0, width(), std::max(0, height() - stepBarHeight()));
}

void StateDiagramWidget::layoutStepBar()
{
    const int bar = stepBarHeight();
    m_stepBar->setGeometry(0, height() - bar, width(), bar);
}

void StateDiagramWidget::resizeEvent(QResizeEvent *event)
{
    layoutStepBar();
    QWidget::resizeEvent(event);
}

DiagramTransform StateDiagramWidget::transform() const
{
    const QRectF area = figureArea().adjusted(kMargin, kMargin, -kMargin, -kMargin);
    return DiagramTransform::fit(DiagramLayout::designSize(), area);
}

const DiagramText &StateDiagramWidget::text() const
{
    const QRectF area = figureArea();
    if (area != m_textArea || font() != m_textFont || m_text.labels.isEmpty()) {
        m_text = fitDiagramText(m_layout, transform(), area, font());
        m_textArea = area;
        m_textFont = font();
    }
    return m_text;
}

QRectF StateDiagramWidget::boxRect(TcpState state) const
{
    const int box = m_layout.primaryBox(state);
    return box < 0 ? QRectF() : boxRectAt(box);
}

QRectF StateDiagramWidget::boxRectAt(int box) const
{
    if (box < 0 || box >= m_layout.boxes().size())
        return {};
    return transform().map(m_layout.boxes().at(box).rect);
}

QPolygonF StateDiagramWidget::edgeRoute(int edge) const
{
    if (edge < 0 || edge >= m_layout.edges().size())
        return {};
    return transform().map(m_layout.edges().at(edge).route);
}

QRectF StateDiagramWidget::labelRect(int edge) const
{
    return text().labels.value(edge);
}

int StateDiagramWidget::boxAtWidgetPoint(const QPointF &point) const
{
    return m_layout.boxAt(transform().unmap(point));
}

int StateDiagramWidget::edgeAtWidgetPoint(const QPointF &point) const
{
    for (int edge = 0; edge < m_layout.edges().size(); ++edge) {
        if (labelRect(edge).contains(point))
            return edge;
        const QPolygonF route = edgeRoute(edge);
        for (qsizetype i = 1; i < route.size(); ++i) {
            const QRectF leg = QRectF(route[i - 1], route[i])
                                   .normalized()
                                   .adjusted(-kEdgeHitPx, -kEdgeHitPx, kEdgeHitPx, kEdgeHitPx);
            if (leg.contains(point))
                return edge;
        }
    }
    return -1;
}

void StateDiagramWidget::setHoveredBox(int box)
{
    if (box == m_hoveredBox)
        return;
    m_hoveredBox = box;
    if (box >= 0)
        setCursor(Qt::PointingHandCursor);
    else
        unsetCursor();
    update();
}

bool StateDiagramWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const int box = boxAtWidgetPoint(help->pos());
        const int edge = box < 0 ? edgeAtWidgetPoint(help->pos()) : -1;
        if (box < 0 && edge < 0) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        if (edge >= 0) {
            // The arrow's "event / action", also when its label is left out.
            const DiagramEdge &e = m_layout.edges().at(edge);
            QToolTip::showText(help->globalPos(),
                               QStringLiteral("<b>%1 → %2</b><br>%3")
                                   .arg(tcpStateFigureName(e.from), tcpStateFigureName(e.to),
                                        e.text().toHtmlEscaped()),
                               this);
            return true;
        }
        const DiagramBox &b = m_layout.boxes().at(box);
        QString text = QStringLiteral("<b>%1</b><br>%2")
                           .arg(tcpStateFigureName(b.state), tcpStateMeaning(b.state));
        if (b.repeat)
            text += tr("<br><i>Drawn twice, as in the RFC figure: the same state as the box at "
                       "the top.</i>");
        QToolTip::showText(help->globalPos(), text, this, boxRectAt(box).toAlignedRect());
        return true;
    }
    return QWidget::event(event);
}

void StateDiagramWidget::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    DiagramScene scene;
    scene.layout = &m_layout;
    scene.transform = transform();
    scene.text = &text();
    scene.counts = m_counts;
    scene.flash = QList<double>(m_layout.edges().size(), 0.0);
    // Stepping back through one connection: the other connections' news would
    // only distract from the step in view.
    if (m_live) {
        for (const Flash &flash : std::as_const(m_flashes))
            scene.flash[flash.edge] = std::max(scene.flash[flash.edge], flashStrength(flash));
    }
    scene.traceSteps = m_traceSteps;
    scene.currentEdges = currentStepEdges();
    if (!m_steps.isEmpty()) {
        scene.tracedState = m_steps.stateAfter(m_step);
        scene.tracedStateLeft = m_steps.ended() && m_step == m_steps.count();
    }
    scene.filteredState = m_filteredState;
    scene.hoveredBox = m_hoveredBox;
    scene.title = m_title;
    paintDiagram(painter, palette(), scene);
}

void StateDiagramWidget::mouseMoveEvent(QMouseEvent *event)
{
    setHoveredBox(boxAtWidgetPoint(event->position()));
    QWidget::mouseMoveEvent(event);
}

void StateDiagramWidget::mousePressEvent(QMouseEvent *event)
{
    m_pressedBox = event->button() == Qt::LeftButton ? boxAtWidgetPoint(event->position()) : -1;
    QWidget::mousePressEvent(event);
}

void StateDiagramWidget::mouseReleaseEvent(QMouseEvent *event)
{
    // A click is a press and a release on the same box, like a button.
    const int box = boxAtWidgetPoint(event->position());
    if (event->button() == Qt::LeftButton && box >= 0 && box == m_pressedBox)
        Q_EMIT stateClicked(m_layout.boxes().at(box).state);
    m_pressedBox = -1;
    QWidget::mouseReleaseEvent(event);
}

void StateDiagramWidget::leaveEvent(QEvent *event)
{
    setHoveredBox(-1);
    QWidget::leaveEvent(event);
}

} // namespace sockscope
