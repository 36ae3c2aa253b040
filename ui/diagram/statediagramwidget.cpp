// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/statediagramwidget.h"

#include "diagram/diagrampainter.h"
#include "diagram/statehelp.h"

#include <algorithm>
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
} // namespace

StateDiagramWidget::StateDiagramWidget(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("TCP state diagram"));
    m_traceSteps.resize(m_layout.edges().size());
    m_clock.start();
    m_fadeTimer.setInterval(kFadeFrameMs);
    connect(&m_fadeTimer, &QTimer::timeout, this, &StateDiagramWidget::onFadeTick);
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
    for (int edge : path) {
        const auto same = [edge](const Flash &flash) { return flash.edge == edge; };
        const auto it = std::find_if(m_flashes.begin(), m_flashes.end(), same);
        if (it != m_flashes.end())
            it->startMs = now; // seen again: restart its fade
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
    for (const Flash &flash : m_flashes) {
        if (flashStrength(flash) > 0)
            edges.append(flash.edge);
    }
    std::sort(edges.begin(), edges.end());
    return edges;
}

double StateDiagramWidget::flashStrength(const Flash &flash) const
{
    const qint64 age = m_clock.elapsed() - flash.startMs;
    return std::max(0.0, 1.0 - static_cast<double>(age) / m_flashDurationMs);
}

void StateDiagramWidget::onFadeTick()
{
    m_flashes.removeIf([this](const Flash &flash) { return flashStrength(flash) <= 0; });
    // Nothing left to fade: stop, so an idle diagram costs no repaints.
    if (m_flashes.isEmpty())
        m_fadeTimer.stop();
    update();
}

void StateDiagramWidget::setTracedPath(const QList<StateSpan> &path)
{
    m_tracedPath = path;
    m_tracedEdges.clear();
    m_traceSteps = QList<QList<int>>(m_layout.edges().size());
    int step = 0;
    for (qsizetype i = 1; i < path.size(); ++i) {
        const QList<int> edges = m_layout.pathBetween(path[i - 1].state, path[i].state);
        if (edges.isEmpty())
            continue;
        ++step;
        m_tracedEdges += edges;
        for (int edge : edges)
            m_traceSteps[edge].append(step);
    }
    update();
}

void StateDiagramWidget::clearTracedPath()
{
    setTracedPath({});
}

DiagramTransform StateDiagramWidget::transform() const
{
    const QRectF area = QRectF(rect()).adjusted(kMargin, kMargin, -kMargin, -kMargin);
    return DiagramTransform::fit(DiagramLayout::designSize(), area);
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
    if (edge < 0 || edge >= m_layout.edges().size())
        return {};
    const DiagramTransform t = transform();
    return diagramLabelRect(m_layout.edges().at(edge), t, diagramFonts(font(), t.scale).label);
}

int StateDiagramWidget::boxAtWidgetPoint(const QPointF &point) const
{
    return m_layout.boxAt(transform().unmap(point));
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
        if (box < 0) {
            QToolTip::hideText();
            event->ignore();
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
    scene.counts = m_counts;
    scene.flash = QList<double>(m_layout.edges().size(), 0.0);
    for (const Flash &flash : std::as_const(m_flashes))
        scene.flash[flash.edge] = std::max(scene.flash[flash.edge], flashStrength(flash));
    scene.traceSteps = m_traceSteps;
    if (!m_tracedPath.isEmpty()) {
        scene.tracedState = m_tracedPath.last().state;
        scene.tracedStateLeft = m_tracedPath.last().leftMs >= 0;
    }
    scene.hoveredBox = m_hoveredBox;
    scene.title = m_title;
    paintDiagram(painter, palette(), font(), scene);
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
