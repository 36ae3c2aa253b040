// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <QString>
#include <QStringList>

class QMainWindow;
class QMenu;

namespace sockscope {

// The Help menu of `window`: the close states primer, the keyboard shortcuts
// (read from the window's actions when shown, so the list is the real one),
// and About. `tracingState` says, when About opens, whether transitions are
// traced or polled.
QMenu *addHelpMenu(QMainWindow *window, std::function<QString()> tracingState);

// "F8\tPause" lines for every action of `window` that has a shortcut, sorted
// by what they do; the Help menu shows them as a table.
QStringList shortcutLines(const QMainWindow *window);

} // namespace sockscope
