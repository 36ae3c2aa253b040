// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/diagramstyle.h"

#include <algorithm>
#include <cmath>

namespace sockscope {

namespace {

double luminance(const QColor &color)
{
    const auto channel = [](double c) {
        return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) +
           0.0722 * channel(color.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

QColor mixColors(const QColor &a, const QColor &b, double t)
{
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                            static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t),
                            static_cast<float>(a.alphaF() + (b.alphaF() - a.alphaF()) * t));
}

DiagramColors diagramColors(const QPalette &palette)
{
    DiagramColors colors;
    colors.background = palette.color(QPalette::Base);
    colors.text = palette.color(QPalette::Text);
    colors.mutedText = mixColors(colors.text, colors.background, 0.3);
    colors.line = mixColors(colors.text, colors.background, 0.35);
    colors.boxFill = mixColors(colors.background, colors.text, 0.05);
    colors.boxBorder = mixColors(colors.text, colors.background, 0.45);
    colors.highlight = palette.color(QPalette::Highlight);
    colors.highlightedText = palette.color(QPalette::HighlightedText);
    const bool dark = luminance(colors.background) < 0.2;
    colors.flash = dark ? QColor(0xff, 0xa2, 0x3d) : QColor(0xe0, 0x6a, 0x00);
    colors.trace = dark ? QColor(0xea, 0x6f, 0xdb) : QColor(0xb8, 0x1a, 0x9c);
    colors.onAccent = dark ? QColor(0x1a, 0x1a, 0x1a) : QColor(0xff, 0xff, 0xff);
    return colors;
}

double litIntensity(int count)
{
    if (count <= 0)
        return 0.0;
    constexpr double kSaturation = 32.0;
    return 0.35 + 0.65 * std::min(1.0, std::log2(1.0 + count) / std::log2(1.0 + kSaturation));
}

QColor litFill(const DiagramColors &colors, int count)
{
    return count <= 0 ? colors.boxFill
                      : mixColors(colors.background, colors.highlight, litIntensity(count));
}

QColor textOn(const DiagramColors &colors, const QColor &fill)
{
    return contrast(colors.text, fill) >= contrast(colors.highlightedText, fill)
               ? colors.text
               : colors.highlightedText;
}

} // namespace sockscope
