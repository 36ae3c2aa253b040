// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/diagrampainter.h"

#include "diagram/diagramstyle.h"
#include "diagram/statehelp.h"

#include <algorithm>
#include <cmath>
#include <QFontMetricsF>
#include <QPainter>

namespace sockscope {

namespace {

struct Frame
{
    QPainter &painter;
    const DiagramScene &scene;
    DiagramColors colors;
    const DiagramText &text;
    double s; // design pixel -> widget pixel
};

// How strongly a flash tints: fully from half strength up, so a flash at rest
// (see StateDiagramWidget) reads as the accent rather than a muddy blend.
double flashTint(double flash)
{
    return std::min(1.0, 2.0 * flash);
}

double segmentLength(const QPointF &a, const QPointF &b)
{
    return std::hypot(b.x() - a.x(), b.y() - a.y());
}

// The point `distance` before the end of a polyline, walking back along it.
QPointF pointBeforeEnd(const QPolygonF &route, double distance)
{
    for (qsizetype i = route.size() - 1; i > 0; --i) {
        const double length = segmentLength(route[i - 1], route[i]);
        if (distance <= length && length > 0)
            return route[i] + (route[i - 1] - route[i]) * (distance / length);
        distance -= length;
    }
    return route.isEmpty() ? QPointF() : route.first();
}

double routeLength(const QPolygonF &route)
{
    double total = 0;
    for (qsizetype i = 1; i < route.size(); ++i)
        total += segmentLength(route[i - 1], route[i]);
    return total;
}

void drawEdge(Frame &f, int index)
{
    const DiagramEdge &edge = f.scene.layout->edges().at(index);
    const QPolygonF route = f.scene.transform.map(edge.route);
    if (route.size() < 2)
        return;
    const double flash = f.scene.flash.value(index, 0.0);
    const bool traced = !f.scene.traceSteps.value(index).isEmpty();
    const bool current = f.scene.currentEdges.contains(index);
    const double head = 9.0 * f.s;

    // The line stops at the arrowhead's base so its end does not poke through the tip.
    QPolygonF line = route;
    line.last() = pointBeforeEnd(route, head * 0.8);
    if (current) {
        QColor glow = f.colors.trace;
        glow.setAlphaF(0.35f);
        f.painter.setPen(QPen(glow, 9.0 * f.s, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        f.painter.drawPolyline(line);
    } else if (flash > 0) {
        QColor glow = f.colors.flash;
        glow.setAlphaF(static_cast<float>(0.45 * flash));
        f.painter.setPen(QPen(glow, 7.0 * f.s, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        f.painter.drawPolyline(line);
    }
    QColor color = traced ? f.colors.trace : f.colors.line;
    color = mixColors(color, f.colors.flash, (traced ? 0.5 : 1.0) * flashTint(flash));
    const double width = (current ? 3.4 : traced ? 2.6 : 1.3 + 1.3 * flash) * f.s;
    f.painter.setPen(QPen(color, width, Qt::SolidLine, Qt::FlatCap, Qt::MiterJoin));
    f.painter.drawPolyline(line);

    const QPointF tip = route.last();
    const QPointF back = pointBeforeEnd(route, head);
    const QPointF along = (tip - back) / head;
    const QPointF across(-along.y(), along.x());
    const double halfWidth = (current ? 6.0 : traced || flash > 0.3 ? 5.0 : 4.2) * f.s;
    f.painter.setPen(Qt::NoPen);
    f.painter.setBrush(color);
    f.painter.drawPolygon(QPolygonF({tip, back + across * halfWidth, back - across * halfWidth}));
}

void drawLabel(Frame &f, int index)
{
    if (!f.text.showLabels)
        return;
    const DiagramEdge &edge = f.scene.layout->edges().at(index);
    const QRectF rect = f.text.labels.at(index);
    const double flash = f.scene.flash.value(index, 0.0);
    const bool traced = !f.scene.traceSteps.value(index).isEmpty();
    QColor color = traced ? f.colors.trace : f.colors.text;
    color = mixColors(color, f.colors.flash, flashTint(flash));

    const QFontMetricsF metrics(f.text.label);
    const QStringList lines = edge.labelLines();
    const Qt::Alignment horizontal = edge.labelAlignment & Qt::AlignHorizontal_Mask;
    double y = rect.top();
    for (qsizetype i = 0; i < lines.size(); ++i) {
        // The note ("simultaneous open") is context, not a transition: quieter.
        const bool note = i == 0 && !edge.note.isEmpty();
        QFont font = f.text.label;
        font.setItalic(note);
        f.painter.setFont(font);
        f.painter.setPen(note ? mixColors(color, f.colors.background, 0.25) : color);
        const QRectF lineRect(rect.left(), y, rect.width(), metrics.height());
        f.painter.drawText(lineRect, static_cast<int>(horizontal | Qt::AlignVCenter), lines[i]);
        y += metrics.height();
    }
}

void drawCountBadge(Frame &f, const QRectF &box, int count)
{
    const QString text = QString::number(count);
    const QFontMetricsF metrics(f.text.badge);
    const double height = std::max(16.0 * f.s, metrics.height() + 2);
    const double width = std::max(height, metrics.horizontalAdvance(text) + 10.0 * f.s);
    // On the top-right corner, inside the box's width so it never reaches the
    // labels and arrows beside the box.
    const QRectF badge(box.right() - width + 2.0 * f.s, box.top() - height * 0.55, width, height);
    f.painter.setPen(QPen(f.colors.background, 1.5 * f.s));
    f.painter.setBrush(f.colors.highlight);
    f.painter.drawRoundedRect(badge, height / 2, height / 2);
    f.painter.setFont(f.text.badge);
    f.painter.setPen(textOn(f.colors, f.colors.highlight));
    f.painter.drawText(badge, Qt::AlignCenter, text);
}

void drawBox(Frame &f, int index)
{
    const DiagramBox &box = f.scene.layout->boxes().at(index);
    const QRectF rect = f.scene.transform.map(box.rect);
    const int count = f.scene.counts.at(static_cast<std::size_t>(box.state));
    const double radius = 8.0 * f.s;

    if (f.scene.filteredState == box.state) {
        // Outside the traced outline, so both show when they mark the same box.
        const double gap = 6.5 * f.s;
        f.painter.setPen(QPen(f.colors.highlight, 2.5 * f.s));
        f.painter.setBrush(Qt::NoBrush);
        f.painter.drawRoundedRect(rect.adjusted(-gap, -gap, gap, gap), radius + gap, radius + gap);
    }
    if (box.state == f.scene.tracedState) {
        const double gap = 3.5 * f.s;
        QPen outline(f.colors.trace, 2.5 * f.s,
                     f.scene.tracedStateLeft ? Qt::DashLine : Qt::SolidLine);
        f.painter.setPen(outline);
        f.painter.setBrush(Qt::NoBrush);
        f.painter.drawRoundedRect(rect.adjusted(-gap, -gap, gap, gap), radius + gap, radius + gap);
    }

    const QColor fill = litFill(f.colors, count);
    QColor border =
        count > 0 ? mixColors(f.colors.highlight, f.colors.text, 0.25) : f.colors.boxBorder;
    if (index == f.scene.hoveredBox)
        border = f.colors.highlight;
    QPen pen(border, (index == f.scene.hoveredBox ? 2.2 : 1.3) * f.s);
    // The repeated CLOSED box is dashed: the same state, drawn twice as in the RFC.
    if (box.repeat)
        pen.setStyle(Qt::DashLine);
    f.painter.setPen(pen);
    f.painter.setBrush(fill);
    f.painter.drawRoundedRect(rect, radius, radius);

    f.painter.setFont(f.text.state);
    f.painter.setPen(textOn(f.colors, fill));
    f.painter.drawText(rect, Qt::AlignCenter, tcpStateFigureName(box.state));
    if (count > 0)
        drawCountBadge(f, rect, count);
}

void drawStepBadge(Frame &f, int index)
{
    const QList<int> steps = f.scene.traceSteps.value(index);
    if (steps.isEmpty())
        return;
    QStringList numbers;
    for (int step : steps)
        numbers << QString::number(step);
    const QString text = numbers.join(QLatin1Char(','));
    const QPolygonF route = f.scene.transform.map(f.scene.layout->edges().at(index).route);
    const QFontMetricsF metrics(f.text.badge);
    const double height = std::max(15.0 * f.s, metrics.height() + 1);
    const double width = std::max(height, metrics.horizontalAdvance(text) + 8.0 * f.s);
    const auto badgeAt = [&](double distance) {
        const QPointF centre = pointBeforeEnd(route, distance);
        return QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height);
    };
    const auto coversLabel = [&f](const QRectF &badge) {
        const QRectF room = badge.adjusted(-2 * f.s, -2 * f.s, 2 * f.s, 2 * f.s);
        const auto hit = [&room](const QRectF &label) { return label.intersects(room); };
        return std::any_of(f.text.labels.begin(), f.text.labels.end(), hit);
    };
    // Near the arrowhead, where it also says which way the step went; walk back
    // along the route to a spot that covers no label, if there is one.
    const double length = routeLength(route);
    const double first = std::min(22.0 * f.s, length / 2);
    QRectF badge = badgeAt(first);
    for (double d = first; coversLabel(badge) && d < length - 12.0 * f.s; d += 2.0 * f.s) {
        if (!coversLabel(badgeAt(d)))
            badge = badgeAt(d);
    }
    f.painter.setPen(QPen(f.colors.background, 1.2 * f.s));
    f.painter.setBrush(f.colors.trace);
    f.painter.drawRoundedRect(badge, height / 2, height / 2);
    f.painter.setFont(f.text.badge);
    f.painter.setPen(f.colors.onAccent);
    f.painter.drawText(badge, Qt::AlignCenter, text);
}

} // namespace

void paintDiagram(QPainter &painter, const QPalette &palette, const DiagramScene &scene)
{
    if (!scene.layout || !scene.text)
        return;
    Frame f{painter, scene, diagramColors(palette), *scene.text, scene.transform.scale};
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);

    if (!scene.title.isEmpty()) {
        painter.setFont(f.text.title);
        painter.setPen(f.colors.text);
        const QRectF titleRect(scene.transform.map(QPointF(6, 4)), QSizeF(190, 22) * f.s);
        const QString title =
            QFontMetricsF(f.text.title).elidedText(scene.title, Qt::ElideRight, titleRect.width());
        painter.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter, title);
    }

    const qsizetype edgeCount = scene.layout->edges().size();
    // Plain edges first, then the lit ones on top so crossings never hide them.
    for (int pass = 0; pass < 2; ++pass) {
        for (int i = 0; i < edgeCount; ++i) {
            const bool lit = scene.flash.value(i, 0.0) > 0 ||
                             !scene.traceSteps.value(i).isEmpty() || scene.currentEdges.contains(i);
            if (lit == (pass == 1))
                drawEdge(f, i);
        }
    }
    for (int i = 0; i < edgeCount; ++i)
        drawLabel(f, i);
    for (int i = 0; i < scene.layout->boxes().size(); ++i)
        drawBox(f, i);
    for (int i = 0; i < edgeCount; ++i)
        drawStepBadge(f, i);
}

} // namespace sockscope
