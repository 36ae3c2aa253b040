// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPalette>

namespace sockscope {

// A dark palette for the Fusion style: for `--dark`, screenshots and tests, on
// desktops whose theme offers none.
QPalette darkPalette();

} // namespace sockscope
