// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "netns/networknamespace.h"

#include <memory>
#include <QString>

namespace sockscope {

class LabSession;
class MainWindow;
class ScenarioPanel;
class SourcePicker;

// The whole window: the main window with its lab session and panels, wired.
// The app and the GUI tests build it the same way.
struct AssembledWindow
{
    std::unique_ptr<MainWindow> window;
    LabSession *session = nullptr; // owned by the window
    ScenarioPanel *scenarios = nullptr;
    SourcePicker *sources = nullptr; // in the toolbar
};

// serverExecutable: the sockscope binary, for the lab's server processes.
// persistSettings false: nothing read from or written to QSettings (screenshots, tests).
// ns: the network namespace shown first (none chosen: SockScope's own).
AssembledWindow assembleWindow(const QString &serverExecutable, bool persistSettings,
                               bool trace = true, const NetworkNamespace &ns = {});

} // namespace sockscope
