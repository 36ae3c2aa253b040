// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "netns/networknamespace.h"
#include "sources/sshsources.h"

#include <memory>
#include <QList>
#include <QString>

namespace sockscope {

class LabPlacement;
class LabSession;
class MainWindow;
class ScenarioPanel;
class SourcePicker;
class SocketSource;

// The whole window: the main window with its lab session and panels, wired.
// The app and the GUI tests build it the same way.
struct AssembledWindow
{
    std::unique_ptr<MainWindow> window;
    LabSession *session = nullptr; // owned by the window
    ScenarioPanel *scenarios = nullptr;
    SourcePicker *sources = nullptr;   // in the toolbar
    LabPlacement *placement = nullptr; // where the lab acts: the namespace shown
};

// serverExecutable: the sockscope binary, for the lab's server processes.
// persistSettings false: nothing read from or written to QSettings (screenshots, tests).
// first: what the window shows at start. By default this machine's sockets
// in SockScope's own network namespace.
struct FirstSource
{
    NetworkNamespace ns; // another namespace on this machine (none chosen: our own)
    // More namespaces, each opened in a tab of its own behind the first.
    QList<NetworkNamespace> alsoNs;
    // Or sockets from elsewhere (a server over ssh); the window takes it. Its
    // key and label name it in the title and the per-source settings. The lab
    // acts on this machine only, so its docks then say labOffReason instead
    // (session and scenarios are null) and no picker is offered; unless it is
    // a RemoteSource asked to run the lab there (RemoteSource::setLab): then
    // the lab and bind checker act on the server (session set, scenarios null).
    SocketSource *remote = nullptr;
    QString remoteKey;
    QString remoteLabel;
    QString labOffReason;
    // Set: the picker also lists servers (sshsources.h), reached with sshConfig.
    RemoteMaker makeRemote;
    QString sshConfig;
};
AssembledWindow assembleWindow(const QString &serverExecutable, bool persistSettings,
                               bool trace = true, const FirstSource &first = {});

} // namespace sockscope
