// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace sockscope::cli {

// Writes the window's settings once and reads back whether that worked:
// empty when they can be saved, else one sentence naming the file, why not
// (read-only file system, full, permissions) and that the window works on.
// A read-only or full home must not stop the window, only its memory.
QString settingsSaveProblem();

} // namespace sockscope::cli
