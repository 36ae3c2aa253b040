// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagram/diagramlayout.h"

#include <QFont>
#include <QList>
#include <QRectF>

namespace sockscope {

// The figure's text at one widget size and font, measured so that nothing
// clips: every state name fits inside its box, and each transition's label
// sits beside its arrow, clear of every box, arrow and other label. When the
// labels cannot be read that small, they are left out (showLabels false) and
// the arrows' tooltips and the step caption carry them instead.
struct DiagramText
{
    QFont state;
    QFont label;
    QFont badge;
    QFont title;
    bool showLabels = true;
    QList<QRectF> labels; // per edge, widget coordinates; empty rects when not shown
};

// Fonts follow the widget's scale and the user's font size (a larger desktop
// font gives larger text), then shrink until the text fits the figure.
DiagramText fitDiagramText(const DiagramLayout &layout, const DiagramTransform &transform,
                           const QRectF &area, const QFont &baseFont);

// Where an edge's label goes with this font, in widget coordinates.
QRectF diagramLabelRect(const DiagramEdge &edge, const DiagramTransform &transform,
                        const QFont &labelFont);

// The smallest pixel size text is still drawn at: below it, labels are left out.
inline constexpr int kSmallestLabelPx = 7;

} // namespace sockscope
