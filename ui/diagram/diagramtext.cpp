// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/diagramtext.h"

#include "diagram/statehelp.h"

#include <algorithm>
#include <cmath>
#include <QFontInfo>
#include <QFontMetricsF>

namespace sockscope {

namespace {

// The desktop font size the design's text sizes were chosen for (10 pt at 96 dpi).
constexpr double kDesignBasePx = 13.0;
// The state font may shrink this far to fit a box: a name is never left out.
constexpr int kSmallestStatePx = 5;

QFont withPixels(const QFont &base, int px, bool bold)
{
    QFont font = base;
    font.setPixelSize(std::max(1, px));
    font.setBold(bold);
    return font;
}

// The pixel size for `designPx` at this scale and desktop font, within limits
// that keep a large window's text from shouting.
int scaledPixels(double designPx, double scale, double fontScale, int floorPx, int ceilingPx)
{
    const double wanted = designPx * scale * fontScale;
    return std::clamp(static_cast<int>(std::lround(wanted)), floorPx,
                      std::max(floorPx, static_cast<int>(ceilingPx * fontScale)));
}

// An axis-aligned route segment as a thin rectangle, for overlap checks.
QRectF segmentRect(const QPointF &a, const QPointF &b)
{
    return QRectF(a, b).normalized().adjusted(-0.5, -0.5, 0.5, 0.5);
}

// Every state name fits its box, with a little room to each side.
bool namesFit(const DiagramLayout &layout, const DiagramTransform &transform, const QFont &font)
{
    const QFontMetricsF metrics(font);
    for (const DiagramBox &box : layout.boxes()) {
        const QRectF rect = transform.map(box.rect);
        const double room = rect.width() - std::max(2.0, 6.0 * transform.scale);
        if (metrics.horizontalAdvance(tcpStateFigureName(box.state)) > room ||
            metrics.height() > rect.height())
            return false;
    }
    return true;
}

// The labels at this font, or an empty list when one of them would touch a
// box, an arrow or another label, or leave the area.
QList<QRectF> placeLabels(const DiagramLayout &layout, const DiagramTransform &transform,
                          const QRectF &area, const QFont &font)
{
    QList<QRectF> obstacles;
    for (const DiagramBox &box : layout.boxes())
        obstacles.append(transform.map(box.rect));
    for (const DiagramEdge &edge : layout.edges()) {
        const QPolygonF route = transform.map(edge.route);
        for (qsizetype i = 1; i < route.size(); ++i)
            obstacles.append(segmentRect(route[i - 1], route[i]));
    }
    QList<QRectF> labels;
    for (const DiagramEdge &edge : layout.edges()) {
        const QRectF label = diagramLabelRect(edge, transform, font);
        const auto hits = [&label](const QRectF &other) { return label.intersects(other); };
        if (!area.contains(label) || std::any_of(obstacles.begin(), obstacles.end(), hits) ||
            std::any_of(labels.begin(), labels.end(), hits))
            return {};
        labels.append(label);
    }
    return labels;
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

DiagramText fitDiagramText(const DiagramLayout &layout, const DiagramTransform &transform,
                           const QRectF &area, const QFont &baseFont)
{
    const double s = transform.scale;
    const double fontScale = std::max(0.5, QFontInfo(baseFont).pixelSize() / kDesignBasePx);
    DiagramText text;
    text.badge = withPixels(baseFont, scaledPixels(9, s, fontScale, 7, 15), true);
    text.title = withPixels(baseFont, scaledPixels(13, s, fontScale, 9, 22), true);

    int statePx = scaledPixels(12, s, fontScale, kSmallestStatePx, 20);
    text.state = withPixels(baseFont, statePx, true);
    while (statePx > kSmallestStatePx && !namesFit(layout, transform, text.state))
        text.state = withPixels(baseFont, --statePx, true);

    // Largest first: the first size at which every label has its place wins.
    for (int px = scaledPixels(10, s, fontScale, kSmallestLabelPx, 17); px >= kSmallestLabelPx;
         --px) {
        text.label = withPixels(baseFont, px, false);
        text.labels = placeLabels(layout, transform, area, text.label);
        if (!text.labels.isEmpty())
            return text;
    }
    text.showLabels = false;
    text.labels = QList<QRectF>(layout.edges().size());
    return text;
}

} // namespace sockscope
