// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace sockscope {

// The container a process runs in, as its cgroup path names it.
struct ContainerName
{
    QString runtime; // docker, podman, containerd, systemd-nspawn, lxc; empty: none
    QString id;      // the runtime's id (64 hex digits), when the path has one
    QString name;    // the container's name, when the path (or the runtime's files) tell it

    bool known() const { return !runtime.isEmpty(); }
    // "docker 3f2a9c1b7e4d (web)", "systemd-nspawn build", "lxc db".
    QString text() const;
};

// Reads the text of /proc/PID/cgroup (v1 or v2 lines "ID:CONTROLLERS:PATH"):
// docker-<id>.scope and /docker/<id>, libpod-<id>.scope, cri-containerd-<id>
// (.scope), machine-<name>.scope (systemd-nspawn, with systemd's \x2d escapes),
// lxc.payload.<name> and /lxc/<name>. Names only what the path says.
ContainerName containerFromCgroup(const QByteArray &cgroupText);

// Adds the name a runtime keeps for the id where the runtime's own files
// tell it without its daemon (docker's config.v2.json, podman's
// containers.json) below `root` (a test's fake tree; "/" on a machine).
void addRuntimeName(ContainerName &container, const QString &root = QStringLiteral("/"));

} // namespace sockscope
