// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagram/diagramlayout.h"
#include "diagram/diagramstyle.h"

#include <array>
#include <QList>

class QPainter;

namespace sockscope {

// Everything one frame of the diagram shows, in widget coordinates.
struct DiagramScene
{
    const DiagramLayout *layout = nullptr;
    DiagramTransform transform;
    std::array<int, kTcpStateCount> counts{};
    QList<double> flash;                      // per edge: 0 (dark) to 1 (just observed)
    QList<QList<int>> traceSteps;             // per edge: the traced connection's step numbers
    TcpState tracedState = TcpState::Unknown; // the traced connection's last state
    bool tracedStateLeft = false;             // ... which it has left (connection gone)
    int hoveredBox = -1;
    QString title;
};

// Where an edge's label is drawn, in widget coordinates.
QRectF diagramLabelRect(const DiagramEdge &edge, const DiagramTransform &transform,
                        const QFont &labelFont);

// Draws the whole figure: background, title, edges, labels, boxes, badges.
void paintDiagram(QPainter &painter, const QPalette &palette, const QFont &baseFont,
                  const DiagramScene &scene);

} // namespace sockscope
