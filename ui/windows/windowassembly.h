// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <QString>

namespace sockscope {

class LabSession;
class MainWindow;
class ScenarioPanel;
class SocketSource;

// The whole window: the main window with its lab session and panels, wired.
// The app and the GUI tests build it the same way.
struct AssembledWindow
{
    std::unique_ptr<MainWindow> window;
    LabSession *session = nullptr; // owned by the window
    ScenarioPanel *scenarios = nullptr;
};

// serverExecutable: the sockscope binary, for the lab's server processes.
// persistSettings false: nothing read from or written to QSettings (screenshots, tests).
// source: where the sockets come from (the window takes it); null: this
// machine's Poller. labOffReason: the lab acts on this machine only, so where
// the sockets are elsewhere (a server over ssh) its panels say this instead
// (session and scenarios are then null).
AssembledWindow assembleWindow(const QString &serverExecutable, bool persistSettings,
                               bool trace = true, SocketSource *source = nullptr,
                               const QString &labOffReason = {});

} // namespace sockscope
