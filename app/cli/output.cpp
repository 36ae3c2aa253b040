// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/output.h"

#include <cstdio>

namespace sockscope::cli {

void printLines(const QStringList &lines)
{
    for (const QString &line : lines) {
        const QByteArray bytes = line.toUtf8();
        std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
        std::fputc('\n', stdout);
    }
    std::fflush(stdout);
}

} // namespace sockscope::cli
