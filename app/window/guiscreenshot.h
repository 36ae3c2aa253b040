// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <QString>

class QWidget;

namespace sockscope {
class MainWindow;
struct AssembledWindow;
} // namespace sockscope

namespace sockscope::cli {

struct ScreenshotSelection;

// Renders the widget into FILE as PNG; on failure prints why and returns false.
bool savePng(QWidget &window, const QString &file);

// Waits for the table to fill, renders the window, quits the application.
// Returns the exit status.
int takeScreenshot(MainWindow &window, const QString &file, const ScreenshotSelection &select);

// Runs the scenario in the guided panel (all steps, or the first `steps`), lets
// two polls land, then renders the window. Returns the exit status.
int screenshotAfterScenario(AssembledWindow &assembled, const QString &scenario, int steps,
                            const QString &file, const ScreenshotSelection &select);

// Lets the table fill, opens the source picker's list, waits for its
// listing and renders the window with the list open. Returns the exit status.
int screenshotWithSources(AssembledWindow &assembled, const QString &file);

// Selects what `select` asks for (the details pane shows its ladder), then
// calls `shoot` once the pane has laid it out; at once when nothing is asked.
void selectThenShoot(MainWindow &window, const ScreenshotSelection &select,
                     const std::function<void()> &shoot);

} // namespace sockscope::cli
