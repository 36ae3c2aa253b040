// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QWidget;

namespace sockscope {

class MainWindow;

// Wraps a lab panel (lab, bind checker, scenarios) so that while the window
// shows another network namespace than SockScope's own, the panel is disabled
// under a line saying why: the lab's sockets and servers live in SockScope's
// namespace, where the window would not show them. Returns the wrapper.
QWidget *withNamespaceNotice(QWidget *panel, MainWindow *window);

} // namespace sockscope
