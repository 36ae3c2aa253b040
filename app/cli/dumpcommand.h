// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace sockscope::cli {

// `sockscope dump [--json] [--info] [--port N] [--state NAME]... [--family 4|6]`.
// Returns the process exit status: 0, 1 when the kernel refused, 2 on bad arguments.
int runDump(const QStringList &arguments);

} // namespace sockscope::cli
