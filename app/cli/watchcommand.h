// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace sockscope::cli {

// `sockscope watch [--json] [--port N] [--interval MS] [--initial] [--duration MS]`:
// streams events until interrupted (or for --duration). Exit status as runDump.
int runWatch(const QStringList &arguments);

} // namespace sockscope::cli
