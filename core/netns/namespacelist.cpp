// SPDX-License-Identifier: GPL-3.0-or-later
#include "netns/namespacelist.h"

#include "netns/namespacescope.h"

#include <algorithm>
#include <QDir>
#include <QFile>
#include <QHash>
#include <sys/stat.h>

namespace sockscope {

namespace {

std::uint64_t namespaceInodeOf(const QString &nsPath)
{
    struct stat info = {};
    if (::stat(QFile::encodeName(nsPath).constData(), &info) != 0)
        return 0;
    return info.st_ino;
}

QByteArray readShort(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    constexpr qint64 kMostBytes = 64 * 1024;
    return file.read(kMostBytes);
}

// Lines of a /proc/net/tcp-like file less its header; -1 when unreadable.
int countRows(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    int lines = 0;
    QByteArray chunk;
    while (!(chunk = file.read(64 * 1024)).isEmpty())
        lines += static_cast<int>(chunk.count('\n'));
    return std::max(0, lines - 1);
}

int countSockets(const QString &netDirectory)
{
    const int v4 = countRows(netDirectory + QStringLiteral("/tcp"));
    const int v6 = countRows(netDirectory + QStringLiteral("/tcp6"));
    if (v4 < 0)
        return -1;
    return v4 + std::max(v6, 0);
}

// A namespace no process is in (an `ip netns add` one): its own /proc view
// is the thread's, once inside it.
int countSocketsInside(const NetworkNamespace &target)
{
    auto scope = NamespaceScope::enter(target);
    return scope ? countSockets(QStringLiteral("/proc/thread-self/net")) : -1;
}

int rank(const NamespaceInfo &info)
{
    if (info.thisMachine)
        return 0;
    if (info.ours)
        return 1;
    if (!info.netnsName.isEmpty())
        return 2;
    return info.container.known() ? 3 : 4;
}

} // namespace

std::uint64_t machineNamespaceInode(const QString &procRoot)
{
    const std::uint64_t init = namespaceInodeOf(procRoot + QStringLiteral("/1/ns/net"));
    return init != 0 ? init : namespaceInodeOf(procRoot + QStringLiteral("/2/ns/net"));
}

QString NamespaceInfo::label() const
{
    if (thisMachine)
        return QStringLiteral("this machine");
    QString text;
    if (!netnsName.isEmpty())
        text = QStringLiteral("ip netns %1").arg(netnsName);
    else if (container.known())
        text = container.text();
    else if (firstPid > 0)
        text = QStringLiteral("pid %1 %2").arg(firstPid).arg(command);
    else
        text = QStringLiteral("net:[%1]").arg(inode);
    if (ours)
        text += QStringLiteral(" (SockScope's own)");
    return text;
}

QString NamespaceInfo::spec() const
{
    return netnsName.isEmpty() ? QString::number(firstPid) : netnsName;
}

std::vector<NamespaceInfo> listNetworkNamespaces(const QString &procRoot, const QString &namedRoot)
{
    QHash<std::uint64_t, NamespaceInfo> byInode;
    const std::uint64_t machine = machineNamespaceInode(procRoot);
    const std::uint64_t ours = namespaceInodeOf(procRoot + QStringLiteral("/self/ns/net"));
    QList<int> pids;
    for (const QString &name : QDir(procRoot).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool ok = false;
        const int pid = name.toInt(&ok);
        if (ok)
            pids << pid;
    }
    std::sort(pids.begin(), pids.end());
    for (const int pid : std::as_const(pids)) {
        const QString base = procRoot + QLatin1Char('/') + QString::number(pid);
        const std::uint64_t inode = namespaceInodeOf(base + QStringLiteral("/ns/net"));
        if (inode == 0)
            continue; // exited, or another user's (ptrace access is needed)
        NamespaceInfo &info = byInode[inode];
        ++info.processes;
        if (!info.container.known())
            info.container = containerFromCgroup(readShort(base + QStringLiteral("/cgroup")));
        if (info.firstPid != 0)
            continue;
        info.inode = inode;
        info.firstPid = pid;
        info.command = QString::fromUtf8(readShort(base + QStringLiteral("/comm"))).trimmed();
        info.sockets = countSockets(base + QStringLiteral("/net"));
    }
    QHash<std::uint64_t, NetworkNamespace> unvisited;
    for (const QString &name : QDir(namedRoot).entryList(QDir::Files | QDir::System)) {
        auto resolved = NetworkNamespace::resolve(name, namedRoot);
        const std::uint64_t inode =
            resolved ? resolved->inode() : namespaceInodeOf(namedRoot + QLatin1Char('/') + name);
        if (inode == 0)
            continue;
        NamespaceInfo &info = byInode[inode];
        info.inode = inode;
        if (info.netnsName.isEmpty())
            info.netnsName = name;
        if (info.firstPid == 0 && resolved)
            unvisited.insert(inode, *resolved);
    }
    std::vector<NamespaceInfo> list;
    for (NamespaceInfo &info : byInode) {
        info.thisMachine = info.inode == machine;
        info.ours = info.inode == ours && !info.thisMachine;
        if (unvisited.contains(info.inode))
            info.sockets = countSocketsInside(unvisited.value(info.inode));
        addRuntimeName(info.container);
        list.push_back(std::move(info));
    }
    std::sort(list.begin(), list.end(), [](const NamespaceInfo &a, const NamespaceInfo &b) {
        const int ra = rank(a), rb = rank(b);
        if (ra != rb)
            return ra < rb;
        if (a.netnsName != b.netnsName)
            return a.netnsName < b.netnsName;
        return a.firstPid < b.firstPid;
    });
    return list;
}

} // namespace sockscope
