// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QCoreApplication;

namespace sockscope::cli {

// SIGINT and SIGTERM end the event loop (through a signalfd), so a command
// that runs until stopped (watch, exporter) joins its threads on the way out.
void quitOnSignals(QCoreApplication &app);

} // namespace sockscope::cli
