// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/quotedvalue.h"

namespace sockscope {

namespace {

constexpr qsizetype kMaxQuoted = 48;

QString escapedControls(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator ||
            c == QChar::ParagraphSeparator)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

// Keeps both ends: the start says what it was, the end where it went wrong.
QString elidedMiddle(const QString &text, qsizetype maximum)
{
    if (text.size() <= maximum)
        return text;
    const qsizetype half = maximum / 2;
    return text.left(half) + QChar(0x2026) + text.right(half);
}

} // namespace

QString quotedValue(const QString &value)
{
    const QString shown =
        QLatin1Char('\'') + escapedControls(elidedMiddle(value, kMaxQuoted)) + QLatin1Char('\'');
    if (value.size() <= kMaxQuoted)
        return shown;
    return shown + QStringLiteral(" (%1 characters)").arg(value.size());
}

QString shortenedText(const QString &text, qsizetype maximum)
{
    return escapedControls(elidedMiddle(text, maximum));
}

} // namespace sockscope
