// SPDX-License-Identifier: GPL-3.0-or-later
#include "theme/statuscolors.h"

namespace sockscope {

StatusColors statusColors(const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Base).lightnessF() < 0.5;
    StatusColors colors;
    // Saturated enough to be told apart by colour, light or dark enough to keep
    // a 4.5:1 contrast with the Base of either theme.
    colors.good = dark ? QColor(0x7b, 0xd8, 0x8f) : QColor(0x1e, 0x7b, 0x34);
    colors.bad = dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb7, 0x1c, 0x1c);
    colors.warning = dark ? QColor(0xff, 0xc1, 0x4d) : QColor(0x9a, 0x5b, 0x00);
    const QColor text = palette.color(QPalette::Text);
    const QColor base = palette.color(QPalette::Base);
    colors.muted = QColor::fromRgbF(text.redF() * 0.7f + base.redF() * 0.3f,
                                    text.greenF() * 0.7f + base.greenF() * 0.3f,
                                    text.blueF() * 0.7f + base.blueF() * 0.3f);
    return colors;
}

} // namespace sockscope
