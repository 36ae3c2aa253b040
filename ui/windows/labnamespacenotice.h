// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QWidget;

namespace sockscope {

class LabPlacement;

// Wraps a lab panel (lab, bind checker, scenarios) under the line that says
// where the lab acts (LabPlacement::notice): in the other network namespace
// the window shows, or why it cannot act there (then the panel is disabled:
// its sockets and servers would not show). Returns the wrapper.
QWidget *withNamespaceNotice(QWidget *panel, LabPlacement *placement);

} // namespace sockscope
