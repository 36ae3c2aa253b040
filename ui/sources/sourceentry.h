// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "netns/networknamespace.h"

#include <functional>
#include <optional>
#include <QList>
#include <QString>

class QWidget;

namespace sockscope {

class SocketSource;

// One thing the window can show: this machine, another network namespace,
// a server. Listed off the GUI thread; made on it when chosen.
struct SourceEntry
{
    QString key;     // stable: "netns:4026531840", "ssh:user@host:22"
    QString label;   // "ip netns blue", "docker 3f2a9c1b7e4d (web)"
    QString detail;  // after the label in the list: "12 sockets"
    QString toolTip; // why it is disabled, or more about it
    bool enabled = true;
    // The network namespace of this machine it shows (none chosen: SockScope's
    // own), where the lab can act too; nullopt for sockets from elsewhere.
    std::optional<NetworkNamespace> ns;
    // A new source, not started (the window takes and starts it).
    std::function<SocketSource *()> make;
    // Instead of make: an entry that asks first ("Add server…"), on the GUI
    // thread; the entry to make then, or nothing when the user cancelled.
    std::function<std::optional<SourceEntry>(QWidget *parent)> ask;
};

// Called on a worker thread: may read /proc, the network, or wait.
using SourceLister = std::function<QList<SourceEntry>()>;

} // namespace sockscope
