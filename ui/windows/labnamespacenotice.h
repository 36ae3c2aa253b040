// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QString;
class QWidget;

namespace sockscope {

class LabPlacement;

// Wraps a lab panel (lab, bind checker, scenarios) under the line that says
// where the lab acts (LabPlacement::notice): in the other network namespace
// the window shows, or why it cannot act there (then the panel is disabled:
// its sockets and servers would not show). Returns the wrapper.
QWidget *withNamespaceNotice(QWidget *panel, LabPlacement *placement);
// The same line, saying `text` for good (a server's lab: where it acts).
QWidget *withNotice(QWidget *panel, const QString &text);

} // namespace sockscope
