// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace sockscope::cli {

// SIGINT/SIGTERM end the event loop cleanly, so threads are joined and child
// processes (ssh) stopped rather than left behind. Call before any thread starts.
void quitOnSignals();

} // namespace sockscope::cli
