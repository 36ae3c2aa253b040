// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace sockscope {

// Loads the window module (sockscope-window.so: installed in lib/sockscope
// beside bin/, or next to the executable in a build tree) and runs the window.
// When it cannot be loaded, prints why and that the command-line modes work
// without it, and returns 1.
int runWindowModule(int argc, char **argv);

} // namespace sockscope
