// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace sockscope::cli {

// `sockscope exporter [--listen ADDR:PORT] [--interval MS] [--max-ports N] [--no-trace]`:
// serves /metrics for Prometheus until interrupted. Exit 2 on bad arguments,
// 1 when it cannot listen (the port's holder named).
int runExporter(const QStringList &arguments);

} // namespace sockscope::cli
