// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace sockscope::cli {

// The window: `sockscope [--interval MS] [--screenshot FILE [--size WxH]]`.
// Creates its own QApplication from argc/argv.
int runGui(int argc, char **argv);

} // namespace sockscope::cli
