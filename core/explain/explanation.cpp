// SPDX-License-Identifier: GPL-3.0-or-later
#include "explain/explanation.h"

namespace sockscope {

QString Explanation::text() const
{
    // The summary already names the culprits (the explainer builds it from
    // them), so the line stays one sentence plus the note.
    QString line = errnoName.isEmpty() ? summary : errnoName + QStringLiteral(": ") + summary;
    if (!note.isEmpty())
        line += QStringLiteral(" (") + note + QLatin1Char(')');
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return line;
}

} // namespace sockscope
