// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "netns/containername.h"
#include "netns/networknamespace.h"

#include <cstdint>
#include <QString>
#include <vector>

namespace sockscope {

// One network namespace of the machine, named by what a user recognises.
struct NamespaceInfo
{
    std::uint64_t inode = 0;
    QString netnsName;        // its `ip netns` name (/run/netns), if any
    ContainerName container;  // from its processes' cgroup paths, if any
    int firstPid = 0;         // its lowest pid (0: no process in it, or none we may see)
    QString command;          // that process's comm
    int processes = 0;        // processes seen in it
    int sockets = -1;         // TCP sockets in it (/proc/.../net/tcp and tcp6); -1: unknown
    bool thisMachine = false; // pid 1's: the machine's own
    bool ours = false;        // the one SockScope itself runs in

    // "this machine", "ip netns blue", "docker 3f2a9c1b7e4d (web)", "pid 812 nginx".
    QString label() const;
    // What --netns takes to reach it: the name, or the first pid.
    QString spec() const;
};

// The machine's own network namespace: pid 1's, or where that is hidden (a
// sandbox's init) kthreadd's, as kernel threads live in the first one. 0
// when neither may be read.
std::uint64_t machineNamespaceInode(const QString &procRoot = QStringLiteral("/proc"));

// Every network namespace found through /proc/*/ns/net (the processes we may
// look at: all of them as root) and the names in /run/netns; this machine's
// first, then named ones, containers, and the rest by pid. Never fails: what
// cannot be read is left out. Reads a few files per process: call it off the
// GUI thread.
std::vector<NamespaceInfo>
listNetworkNamespaces(const QString &procRoot = QStringLiteral("/proc"),
                      const QString &namedRoot = NetworkNamespace::kNamedRoot);

} // namespace sockscope
