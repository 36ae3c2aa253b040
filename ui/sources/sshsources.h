// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/sshtarget.h"
#include "sources/sourceentry.h"

#include <functional>
#include <QStringList>

namespace sockscope {

// Makes the window's source for a server (the app's: a RemoteSource that
// asks passwords through its dialog), not started.
using RemoteMaker = std::function<SocketSource *(const SshTarget &target)>;

// The picker's entries for servers: the ones chosen lately (newest first),
// the hosts of the ssh configuration (configFile, or ~/.ssh/config when
// empty), then "Add server…", which asks for user@host:port. Every server
// is reached with configFile when one is given.
SourceLister sshLister(const QString &configFile, RemoteMaker make);

// The Host names of an ssh configuration a user can connect to as they are:
// not the patterns (with * or ?), not the negations (!). Include is not
// followed. Empty when the file cannot be read.
QStringList sshConfigHosts(const QString &configFile);

// The servers chosen lately, newest first, as SshTarget::spec() writes them
// (QSettings "sources/recentServers"); remembering one puts it first.
QStringList recentServers();
void rememberServer(const SshTarget &target);

} // namespace sockscope
