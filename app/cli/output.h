// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace sockscope::cli {

// Writes each line and a newline to stdout as UTF-8, then flushes: answers go
// to whoever reads them as they come (a console driven by hand, `| grep`),
// never sitting in a buffer.
void printLines(const QStringList &lines);

} // namespace sockscope::cli
