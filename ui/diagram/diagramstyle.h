// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QPalette>

namespace sockscope {

// The diagram's colours. Everything but the two semantic accents comes from the
// palette, so the figure follows light and dark themes; the accents have a
// light and a dark variant chosen to stand out on either background.
struct DiagramColors
{
    QColor background; // Base
    QColor text;
    QColor mutedText;
    QColor line;
    QColor boxFill;
    QColor boxBorder;
    QColor highlight;
    QColor highlightedText;
    QColor flash;    // a transition the poller just observed
    QColor trace;    // the selected connection's own path
    QColor onAccent; // text on a flash or trace fill
};
DiagramColors diagramColors(const QPalette &palette);

// 0 for no connection, then from about half to full strength: a handful of
// connections already reads as "lit", dozens saturate (logarithmic).
double litIntensity(int count);
// The fill of a box holding `count` connections: Highlight over Base.
QColor litFill(const DiagramColors &colors, int count);
// Text or HighlightedText, whichever reads better on `fill`.
QColor textOn(const DiagramColors &colors, const QColor &fill);
// a at t = 0, b at t = 1.
QColor mixColors(const QColor &a, const QColor &b, double t);

} // namespace sockscope
