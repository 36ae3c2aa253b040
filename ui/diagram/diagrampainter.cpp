// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/diagrampainter.h"

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
    DiagramFonts fonts;
    double s;             // design pixel -> widget pixel
    QList<QRectF> labels; // per edge, widget coordinates
};

// How strongly a fading flash tints: fully for the first half of the fade, so
// it reads as the accent rather than a muddy blend for most of its life.
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
    const double head = 9.0 * f.s;

    // The line stops at the arrowhead's base so its end does not poke through the tip.
    QPolygonF line = route;
    line.last() = pointBeforeEnd(route, head * 0.8);
    if (flash > 0) {
        QColor glow = f.colors.flash;
        glow.setAlphaF(static_cast<float>(0.45 * flash));
        f.painter.setPen(QPen(glow, 7.0 * f.s, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        f.painter.drawPolyline(line);
    }
    QColor color = traced ? f.colors.trace : f.colors.line;
    color = mixColors(color, f.colors.flash, (traced ? 0.5 : 1.0) * flashTint(flash));
    const double width = (traced ? 2.6 : 1.3 + 1.3 * flash) * f.s;
    f.painter.setPen(QPen(color, width, Qt::SolidLine, Qt::FlatCap, Qt::MiterJoin));
    f.painter.drawPolyline(line);

    const QPointF tip = route.last();
    const QPointF back = pointBeforeEnd(route, head);
    const QPointF along = (tip - back) / head;
    const QPointF across(-along.y(), along.x());
    const double halfWidth = (traced || flash > 0.3 ? 5.0 : 4.2) * f.s;
    f.painter.setPen(Qt::NoPen);
    f.painter.setBrush(color);
    f.painter.drawPolygon(QPolygonF({tip, back + across * halfWidth, back - across * halfWidth}));
}

void drawLabel(Frame &f, int index)
{
    const DiagramEdge &edge = f.scene.layout->edges().at(index);
    const QRectF rect = f.labels.at(index);
    const double flash = f.scene.flash.value(index, 0.0);
    const bool traced = !f.scene.traceSteps.value(index).isEmpty();
    QColor color = traced ? f.colors.trace : f.colors.text;
    color = mixColors(color, f.colors.flash, flashTint(flash));

    const QFontMetricsF metrics(f.fonts.label);
    const QStringList lines = edge.labelLines();
    const Qt::Alignment horizontal = edge.labelAlignment & Qt::AlignHorizontal_Mask;
    double y = rect.top();
    for (qsizetype i = 0; i < lines.size(); ++i) {
        // The note ("simultaneous open") is context, not a transition: quieter.
        const bool note = i == 0 && !edge.note.isEmpty();
        QFont font = f.fonts.label;
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
    const QFontMetricsF metrics(f.fonts.badge);
    const double height = std::max(16.0 * f.s, metrics.height() + 2);
    const double width = std::max(height, metrics.horizontalAdvance(text) + 10.0 * f.s);
    // On the top-right corner, inside the box's width so it never reaches the
    // labels and arrows beside the box.
    const QRectF badge(box.right() - width + 2.0 * f.s, box.top() - height * 0.55, width, height);
    f.painter.setPen(QPen(f.colors.background, 1.5 * f.s));
    f.painter.setBrush(f.colors.highlight);
    f.painter.drawRoundedRect(badge, height / 2, height / 2);
    f.painter.setFont(f.fonts.badge);
    f.painter.setPen(textOn(f.colors, f.colors.highlight));
    f.painter.drawText(badge, Qt::AlignCenter, text);
}

void drawBox(Frame &f, int index)
{
    const DiagramBox &box = f.scene.layout->boxes().at(index);
    const QRectF rect = f.scene.transform.map(box.rect);
    const int count = f.scene.counts.at(static_cast<std::size_t>(box.state));
    const double radius = 8.0 * f.s;

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

    // The state font has a floor for legibility; in a small window the box may
    // be narrower than the name at that floor, so shrink to fit rather than clip.
    QFont font = f.fonts.state;
    const QString name = tcpStateFigureName(box.state);
    const double room = rect.width() - 4 * f.s;
    const double needed = QFontMetricsF(font).horizontalAdvance(name);
    if (needed > room && room > 0)
        font.setPixelSize(std::max(5, static_cast<int>(font.pixelSize() * room / needed)));
    f.painter.setFont(font);
    f.painter.setPen(textOn(f.colors, fill));
    f.painter.drawText(rect, Qt::AlignCenter, name);
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
    const QFontMetricsF metrics(f.fonts.badge);
    const double height = std::max(15.0 * f.s, metrics.height() + 1);
    const double width = std::max(height, metrics.horizontalAdvance(text) + 8.0 * f.s);
    const auto badgeAt = [&](double distance) {
        const QPointF centre = pointBeforeEnd(route, distance);
        return QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height);
    };
    const auto coversLabel = [&f](const QRectF &badge) {
        const QRectF room = badge.adjusted(-2 * f.s, -2 * f.s, 2 * f.s, 2 * f.s);
        const auto hit = [&room](const QRectF &label) { return label.intersects(room); };
        return std::any_of(f.labels.begin(), f.labels.end(), hit);
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
    f.painter.setFont(f.fonts.badge);
    f.painter.setPen(f.colors.onAccent);
    f.painter.drawText(badge, Qt::AlignCenter, text);
}

} // namespace

QRectF diagramLabelRect(const DiagramEdge &edge, const DiagramTransform &transform,
                        const QFont &labelFont)
{
    const QFontMetricsF metrics(labelFont);
    const QStringList lines = edge.labelLines();
    double width = 0;
    for (const QString &line : lines)
        width = std::max(width, metrics.horizontalAdvance(line));
    const QSizeF size(std::ceil(width), metrics.height() * static_cast<double>(lines.size()));
    const QPointF anchor = transform.map(edge.labelAnchor);
    const Qt::Alignment align = edge.labelAlignment;
    double x = anchor.x() - size.width() / 2;
    if (align & Qt::AlignLeft)
        x = anchor.x();
    else if (align & Qt::AlignRight)
        x = anchor.x() - size.width();
    double y = anchor.y() - size.height() / 2;
    if (align & Qt::AlignTop)
        y = anchor.y();
    else if (align & Qt::AlignBottom)
        y = anchor.y() - size.height();
    return {QPointF(x, y), size};
}

void paintDiagram(QPainter &painter, const QPalette &palette, const QFont &baseFont,
                  const DiagramScene &scene)
{
    if (!scene.layout)
        return;
    Frame f{painter,
            scene,
            diagramColors(palette),
            diagramFonts(baseFont, scene.transform.scale),
            scene.transform.scale,
            {}};
    for (const DiagramEdge &edge : scene.layout->edges())
        f.labels.append(diagramLabelRect(edge, scene.transform, f.fonts.label));
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);

    if (!scene.title.isEmpty()) {
        painter.setFont(f.fonts.title);
        painter.setPen(f.colors.text);
        const QRectF titleRect(scene.transform.map(QPointF(6, 4)), QSizeF(190, 22) * f.s);
        const QString title =
            QFontMetricsF(f.fonts.title).elidedText(scene.title, Qt::ElideRight, titleRect.width());
        painter.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter, title);
    }

    const qsizetype edgeCount = scene.layout->edges().size();
    // Plain edges first, then the lit ones on top so crossings never hide them.
    for (int pass = 0; pass < 2; ++pass) {
        for (int i = 0; i < edgeCount; ++i) {
            const bool lit = scene.flash.value(i, 0.0) > 0 || !scene.traceSteps.value(i).isEmpty();
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
