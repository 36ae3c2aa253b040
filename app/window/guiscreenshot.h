// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QWidget;

namespace sockscope {
class MainWindow;
struct AssembledWindow;
} // namespace sockscope

namespace sockscope::cli {

// Renders the widget into FILE as PNG; on failure prints why and returns false.
bool savePng(QWidget &window, const QString &file);

// Waits for the table to fill, renders the window, quits the application.
// Returns the exit status.
int takeScreenshot(MainWindow &window, const QString &file);

// Runs the scenario in the guided panel (all steps, or the first `steps`), lets
// two polls land, then renders the window. Returns the exit status.
int screenshotAfterScenario(AssembledWindow &assembled, const QString &scenario, int steps,
                            const QString &file);

} // namespace sockscope::cli
