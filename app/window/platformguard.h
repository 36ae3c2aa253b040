// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace sockscope::cli {

// While alive, a Qt fatal error (Qt's only way of saying that no platform
// plugin could be initialized: QT_QPA_PLATFORM unknown, DISPLAY pointing at
// nothing, no Wayland compositor) prints what failed and the fixes and exits
// 1, instead of abort() and a core dump. Qt's own attempt decides, so every
// platform and plugin fails the same way; guessing from the environment could
// not know whether a display answers. Wraps the QApplication constructor only.
class PlatformGuard
{
public:
    PlatformGuard();
    ~PlatformGuard();
    PlatformGuard(const PlatformGuard &) = delete;
    PlatformGuard &operator=(const PlatformGuard &) = delete;
};

} // namespace sockscope::cli
