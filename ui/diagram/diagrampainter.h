// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagram/diagramlayout.h"
#include "diagram/diagramtext.h"

#include <array>
#include <optional>
#include <QList>

class QPainter;

namespace sockscope {

// Everything one frame of the diagram shows, in widget coordinates.
struct DiagramScene
{
    const DiagramLayout *layout = nullptr;
    DiagramTransform transform;
    const DiagramText *text = nullptr; // fonts and label places for this size
    std::array<int, kTcpStateCount> counts{};
    QList<double> flash;                      // per edge: 0 (dark) to 1 (just observed)
    QList<QList<int>> traceSteps;             // per edge: the traced connection's step numbers
    QList<int> currentEdges;                  // the step in view: drawn strongest
    TcpState tracedState = TcpState::Unknown; // the traced connection's last state
    bool tracedStateLeft = false;             // ... which it has left (connection gone)
    std::optional<TcpState> filteredState;    // the state the table shows only
    int hoveredBox = -1;
    QString title;
};

// Draws the whole figure: background, title, edges, labels, boxes, badges.
void paintDiagram(QPainter &painter, const QPalette &palette, const DiagramScene &scene);

} // namespace sockscope
