// SPDX-License-Identifier: GPL-3.0-or-later
#include "sources/namespacesources.h"

#include "netns/namespacelist.h"
#include "poller/poller.h"

#include <QCoreApplication>

namespace sockscope {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("NamespaceSources", text);
}

SourceEntry entryFor(const NamespaceInfo &info, bool trace)
{
    SourceEntry entry;
    entry.key = QStringLiteral("netns:%1").arg(info.inode);
    entry.label = info.label();
    if (info.sockets >= 0)
        entry.detail = info.sockets == 1 ? tr("1 socket") : tr("%1 sockets").arg(info.sockets);
    entry.toolTip = tr("Network namespace net:[%1], %2 process(es); sockscope --netns %3")
                        .arg(info.inode)
                        .arg(info.processes)
                        .arg(info.spec());
    NetworkNamespace ns;
    if (info.inode != currentNetworkNamespaceInode()) {
        // Held open from now on: the entry stays this namespace even if its
        // process exits or its pid is reused before it is chosen.
        auto resolved = NetworkNamespace::resolve(info.spec());
        if (!resolved) {
            entry.enabled = false;
            entry.toolTip = resolved.error().message;
            return entry;
        }
        ns = *resolved;
    }
    entry.ns = ns;
    entry.make = [ns, trace] { return makeNamespacePoller(ns, trace); };
    return entry;
}

} // namespace

SourceLister namespaceLister(bool trace)
{
    return [trace] {
        QList<SourceEntry> entries;
        for (const NamespaceInfo &info : listNetworkNamespaces())
            entries << entryFor(info, trace);
        return entries;
    };
}

QString namespaceKey(const NetworkNamespace &ns)
{
    return ns.chosen() ? ns.key() : QStringLiteral("netns:%1").arg(currentNetworkNamespaceInode());
}

QString namespaceLabel(const NetworkNamespace &ns)
{
    if (!ns.chosen())
        return currentNetworkNamespaceInode() == machineNamespaceInode()
                   ? tr("this machine")
                   : tr("SockScope's own namespace");
    const QString &spec = ns.spec();
    if (spec.contains(QLatin1Char('/')))
        return spec;
    bool pid = false;
    spec.toInt(&pid);
    return pid ? tr("pid %1").arg(spec) : tr("ip netns %1").arg(spec);
}

SocketSource *makeNamespacePoller(const NetworkNamespace &ns, bool trace)
{
    auto *poller = new Poller;
    poller->setTracing(trace);
    poller->setNetworkNamespace(ns);
    return poller;
}

} // namespace sockscope
