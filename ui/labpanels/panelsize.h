// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <QFontMetrics>
#include <QSize>
#include <QWidget>

namespace sockscope {

// The panels' preferred size: `hint` made wide enough for an address, its
// options and a row of object buttons side by side, so the right dock area
// (which takes its width from the panels) never clips a form.
inline QSize dockPanelSizeHint(const QWidget *panel, QSize hint)
{
    return {std::max(hint.width(), panel->fontMetrics().averageCharWidth() * 62), hint.height()};
}

} // namespace sockscope
