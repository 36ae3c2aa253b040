// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "netns/networknamespace.h"
#include "remote/sshtarget.h"

#include <optional>
#include <QSize>
#include <QString>

namespace sockscope::cli {

// What a screenshot shows in the details pane: the first row in a state, or
// the newest ended connection, with its ladder.
struct ScreenshotSelection
{
    QString state;      // a TCP state name, e.g. CLOSE_WAIT; empty: none
    bool ended = false; // the newest ended connection (History)
    bool any() const { return !state.isEmpty() || ended; }
};

// What `sockscope [options]` asks of the window.
struct GuiOptions
{
    int intervalMs = 0; // 0: no --interval, the saved interval (or the default) applies
    bool dark = false;
    bool trace = true;              // --no-trace: poll only
    NetworkNamespace ns;            // --netns: another network namespace than ours
    QList<NetworkNamespace> alsoNs; // --also-netns: more, each in a tab behind the first
    QString screenshotFile;         // empty: run the window interactively
    QSize size{1280, 800};          // for the screenshot
    QString scenario;               // with a screenshot: run it in the guided panel first
    int steps = 0;                  // with a scenario: stop after this many steps (0: all)
    ScreenshotSelection select;
    bool showSources = false;     // with a screenshot: the source picker's list open
    std::optional<SshTarget> ssh; // --ssh: a server's sockets instead of this machine's
    bool installAgent = false;    // --install-agent: copy this AppImage there without asking
    bool remoteLab = false;       // --remote-lab: the lab acts on the server
    QString sshConfig;            // --ssh-config without --ssh: the picker's servers use it
};

// Either the options to run with, or the status to exit with at once (0 after
// --help or --version, kExitUsage after printing one line naming a bad argument).
struct GuiCommandLine
{
    std::optional<GuiOptions> options;
    int exitStatus = 0;
};

// Parsed before QApplication exists: bad arguments must give one clear line,
// not the platform plugin's complaints.
GuiCommandLine parseGuiCommandLine(int argc, char **argv);

} // namespace sockscope::cli
