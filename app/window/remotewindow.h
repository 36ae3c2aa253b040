// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/sshtarget.h"

namespace sockscope {
class MainWindow;
class RemoteSource;
} // namespace sockscope

namespace sockscope::cli {

// What the lab panel says on a window showing a server.
QString remoteLabOffReason();

// A RemoteSource for the window: reconnecting, passwords asked through our
// askpass dialog (this executable, see askpass.h).
RemoteSource *windowRemoteSource(const SshTarget &target, bool trace);

// The window names the server: its title, a status bar field with what feeds
// it ("remote: user@host, agent sockscope 0.1.0, tracing"), "reconnected" when
// it comes back. offerInstall: as offerAgent() below; installAgent: copy it
// without asking (--install-agent).
void showRemote(MainWindow &window, RemoteSource &source, bool offerInstall, bool installAgent);

// Where the server turns out to have no sockscope (the ss fallback) and this
// one is an AppImage: ask, once, whether to copy it there, then reconnect to
// it (or copy it at once with installAgent). For the first source and for a
// server opened from the picker in a tab; a tab closed meanwhile ends it.
void offerAgent(MainWindow &window, RemoteSource &source, bool installAgent = false);

} // namespace sockscope::cli
