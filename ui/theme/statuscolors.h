// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QPalette>

namespace sockscope {

// The colours of a verdict: "it worked" and "it failed", in a light and a dark
// variant chosen from the palette's Base, so answers read on either theme.
// Everything else the panels draw uses the palette itself.
struct StatusColors
{
    QColor good;
    QColor bad;
    QColor warning; // something lost or degraded, not failed: dropped trace events
    QColor muted;   // secondary text: notes, command previews
};
StatusColors statusColors(const QPalette &palette);

} // namespace sockscope
