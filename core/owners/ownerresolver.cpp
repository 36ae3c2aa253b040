// SPDX-License-Identifier: GPL-3.0-or-later
#include "owners/ownerresolver.h"

#include "owners/procfs.h"
#include "util/monotonic.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <QFile>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

namespace sockscope {

using namespace procfs;

namespace {

// Why a full re-read exists at all: an incremental scan reads only descriptor
// numbers it has not read before. When a process closes a file, pipe or UDP
// socket (inodes we never forget, they are not in the TCP dump) and the number
// is reused by a new TCP socket, or a pid is reused, the cache still holds the
// old target and the new socket is "not found". Such an inode stays Unknown
// until one pass ignoring the fd cache confirms it; the pass costs a readlink
// per descriptor on the machine, hence at most one every two seconds.
constexpr std::int64_t kFullPassIntervalMs = 2000;
struct DirCloser
{
    void operator()(DIR *dir) const { ::closedir(dir); }
};
using DirPtr = std::unique_ptr<DIR, DirCloser>;

} // namespace

OwnerResolver::OwnerResolver(QString procRoot)
    : m_procRoot(std::move(procRoot)), m_euid(std::uint32_t(::geteuid())),
      m_selfPid(selfPidIn(m_procRoot))
{
    struct stat net = {};
    const QByteArray path = QFile::encodeName(m_procRoot + QStringLiteral("/self/net/tcp"));
    if (::stat(path.constData(), &net) == 0)
        m_ownNetInode = net.st_ino;
}

bool OwnerResolver::sawEverything() const
{
    return m_walked && !m_rootUnreadable && m_unreadableUidByPid.isEmpty();
}

void OwnerResolver::invalidate()
{
    *this = OwnerResolver(m_procRoot);
}

void OwnerResolver::refresh(const std::vector<SocketRecord> &sockets)
{
    m_lastScan = {};
    QSet<std::uint32_t> dumped;
    dumped.reserve(qsizetype(sockets.size()));
    m_dumpedListeners.clear();
    for (const SocketRecord &socket : sockets) {
        if (socket.inode == 0)
            continue;
        dumped.insert(socket.inode);
        if (socket.state == TcpState::Listen)
            m_dumpedListeners.insert(socket.inode);
    }

    bool changed = false;
    for (const std::uint32_t inode : std::as_const(m_dumped)) {
        if (!dumped.contains(inode)) {
            forgetInode(inode);
            changed = true;
        }
    }
    bool missing = false;
    for (const std::uint32_t inode : std::as_const(dumped)) {
        if (!m_dumped.contains(inode)) {
            changed = true;
            missing = missing || !m_holders.contains(inode);
        }
    }
    m_dumped = std::move(dumped);
    if (changed)
        updateOwnerPids();

    const std::int64_t now = monotonicMs();
    const auto fullPassAllowed = [&] {
        return !m_walked || now - m_lastFullPassMs >= kFullPassIntervalMs;
    };
    const bool fullDue = !m_unconfirmed.isEmpty() && fullPassAllowed();
    if (!missing && !fullDue && m_ownerPids.isEmpty())
        return;

    const DirPtr root(::opendir(QFile::encodeName(m_procRoot).constData()));
    m_rootUnreadable = !root;
    if (!root) {
        m_lastScan.scanned = missing || fullDue;
        settle(false);
        return;
    }
    const int rootFd = ::dirfd(root.get());
    bool fullPass = false;
    if (missing || fullDue) {
        fullPass = fullDue || !m_walked;
        walk(root.get(), fullPass ? Pass::Full : Pass::Incremental);
        settle(fullPass);
        if (!fullPass && !m_unconfirmed.isEmpty() && fullPassAllowed()) {
            walk(root.get(), Pass::Full);
            fullPass = true;
            settle(true);
        }
    } else {
        // Nothing new in the dump: only owners that closed or opened fds, or exited, need a look.
        char path[32];
        for (const int pid : std::as_const(m_ownerPids)) {
            std::snprintf(path, sizeof path, "%d/fd", pid);
            const auto known = m_fdsByPid.constFind(pid);
            const std::int64_t count = fdCountOf(rootFd, path);
            if (count >= 0 && known != m_fdsByPid.constEnd() && count == known->fdCount)
                continue;
            scanPid(rootFd, pid, Pass::Incremental); // tells exited from changed from unreadable
            ++m_lastScan.pidsListed;
        }
        if (m_lastScan.pidsListed == 0) {
            if (changed)
                readCommands(rootFd, false);
            return;
        }
        m_lastScan.scanned = true;
        settle(false);
    }
    if (fullPass)
        m_lastFullPassMs = now;
    updateOwnerPids();
    // A full pass also re-reads commands: a pid may have exec'd or been reused.
    readCommands(rootFd, fullPass);
}

OwnerLookup OwnerResolver::lookup(const SocketRecord &socket) const
{
    OwnerLookup result;
    if (socket.inode == 0) {
        result.ownership = Ownership::Orphaned;
        return result;
    }
    const auto holders = m_holders.constFind(socket.inode);
    if (holders != m_holders.constEnd()) {
        result.ownership = Ownership::Owned;
        for (const Holder &holder : *holders)
            result.owners.append({holder.pid, holder.fd, m_commandByPid.value(holder.pid)});
        std::sort(result.owners.begin(), result.owners.end(), [](const auto &a, const auto &b) {
            return a.pid != b.pid ? a.pid < b.pid : a.fd < b.fd;
        });
        return result;
    }
    if (!m_notFound.contains(socket.inode))
        return result; // never looked for, or not yet confirmed by a full pass
    // Only our own processes can hold a socket created with our uid, except
    // through fd passing or a setuid exec: that exception is accepted, so
    // unreadable processes of other users do not make our own sockets Unknown.
    const bool ownSocketSeen =
        socket.uid == m_euid && m_walked && !m_rootUnreadable && !m_ownPidUnreadable;
    if (sawEverything() || ownSocketSeen)
        result.ownership = Ownership::Orphaned;
    return result;
}

void OwnerResolver::walk(DIR *root, Pass pass)
{
    m_lastScan.scanned = true;
    m_lastScan.pidsListed = 0;
    m_lastScan.pidsUnreadable = 0;
    // The same DIR as the caller's: one more open fd would skew our own fd count.
    ::rewinddir(root);
    const int rootFd = ::dirfd(root);
    QSet<int> listed;
    listed.reserve(m_fdsByPid.size() + 64);
    while (const dirent *entry = ::readdir(root)) {
        const int pid = parseNumber(entry->d_name);
        if (pid <= 0)
            continue;
        listed.insert(pid);
        ++m_lastScan.pidsListed;
        scanPid(rootFd, pid, pass);
    }
    const QList<int> known = m_fdsByPid.keys() + m_unreadableUidByPid.keys();
    for (const int pid : known) {
        if (!listed.contains(pid))
            forgetPid(pid); // exited
    }
    m_walked = true;
}

void OwnerResolver::scanPid(int rootFd, int pid, Pass pass)
{
    char path[32];
    std::snprintf(path, sizeof path, "%d/fd", pid);
    // Counted before reading so a change during the read shows up next time.
    const std::int64_t fdCount = fdCountOf(rootFd, path);
    const int dirFd = ::openat(rootFd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd < 0) {
        if (errno == ENOENT || errno == ESRCH)
            forgetPid(pid); // exited since the listing
        else
            markUnreadable(rootFd, pid); // EACCES, EPERM, ENOTDIR, EMFILE: we cannot tell
        return;
    }
    DirPtr fds(::fdopendir(dirFd));
    if (!fds) {
        ::close(dirFd);
        markUnreadable(rootFd, pid);
        return;
    }
    ProcessFds &process = m_fdsByPid[pid];
    // A changed count may hide a closed listener whose number was reused at once
    // (S1 in our own process: the next open() takes it). Listeners are few, and a
    // closed connection needs no such check: the dump then reports inode 0.
    const bool recount = pass == Pass::Incremental && fdCount != process.fdCount;
    const std::vector<int> recheck = recount ? listenerFds(process) : std::vector<int>();
    process.fdCount = fdCount;
    std::vector<int> listed;
    listed.reserve(std::size_t(process.inodeByFd.size()) + 8);
    char target[64];
    while (const dirent *entry = ::readdir(fds.get())) {
        const int fd = parseNumber(entry->d_name);
        // Our own walking descriptors: cached, they would hide the socket that
        // takes their number next (the lowest free one).
        if (fd < 0 || (pid == m_selfPid && (fd == rootFd || fd == dirFd)))
            continue;
        if (pass == Pass::Incremental && process.inodeByFd.contains(fd) &&
            std::find(recheck.begin(), recheck.end(), fd) == recheck.end()) {
            listed.push_back(fd);
            continue;
        }
        ++m_lastScan.fdsRead;
        const ssize_t length = ::readlinkat(dirFd, entry->d_name, target, sizeof target);
        if (length < 0 && (errno == EACCES || errno == EPERM)) {
            // The directory's mode allowed listing, but links need ptrace access.
            markUnreadable(rootFd, pid);
            return;
        }
        if (length < 0)
            continue; // closed since readdir
        listed.push_back(fd);
        setFd(pid, process, fd, socketInode(target, std::size_t(length)));
    }
    m_unreadableUidByPid.remove(pid);
    // Every listed fd is now in the cache, so equal sizes mean nothing was closed.
    if (qsizetype(listed.size()) == process.inodeByFd.size())
        return;
    std::sort(listed.begin(), listed.end());
    for (auto it = process.inodeByFd.begin(); it != process.inodeByFd.end();) {
        if (std::binary_search(listed.begin(), listed.end(), it.key())) {
            ++it;
            continue;
        }
        if (it.value() != 0)
            dropHolder(it.value(), pid, it.key());
        it = process.inodeByFd.erase(it);
    }
}

std::vector<int> OwnerResolver::listenerFds(const ProcessFds &process) const
{
    std::vector<int> fds;
    for (auto it = process.inodeByFd.cbegin(); it != process.inodeByFd.cend(); ++it) {
        if (it.value() != 0 && m_dumpedListeners.contains(it.value()))
            fds.push_back(it.key());
    }
    return fds;
}

void OwnerResolver::setFd(int pid, ProcessFds &process, int fd, std::uint32_t inode)
{
    const auto it = process.inodeByFd.find(fd);
    if (it != process.inodeByFd.end()) {
        if (it.value() == inode)
            return;
        if (it.value() != 0)
            dropHolder(it.value(), pid, fd);
        it.value() = inode;
    } else {
        process.inodeByFd.insert(fd, inode);
    }
    if (inode == 0)
        return;
    m_holders[inode].append({pid, fd});
    m_notFound.remove(inode);
    m_unconfirmed.remove(inode);
}

void OwnerResolver::dropHolder(std::uint32_t inode, int pid, int fd)
{
    const auto it = m_holders.find(inode);
    if (it == m_holders.end())
        return;
    it->removeIf([&](const Holder &holder) { return holder.pid == pid && holder.fd == fd; });
    if (it->isEmpty())
        m_holders.erase(it); // settle() classifies it if it is still dumped
}

void OwnerResolver::forgetInode(std::uint32_t inode)
{
    // Removing the fds too makes the next scan read those numbers again,
    // which is how a descriptor number reused for a new socket is noticed.
    for (const Holder &holder : m_holders.value(inode)) {
        const auto process = m_fdsByPid.find(holder.pid);
        if (process != m_fdsByPid.end())
            process->inodeByFd.remove(holder.fd);
    }
    m_holders.remove(inode);
    m_notFound.remove(inode);
    m_unconfirmed.remove(inode);
}

void OwnerResolver::dropFds(int pid)
{
    const auto process = m_fdsByPid.constFind(pid);
    if (process == m_fdsByPid.constEnd())
        return;
    for (auto it = process->inodeByFd.cbegin(); it != process->inodeByFd.cend(); ++it) {
        if (it.value() != 0)
            dropHolder(it.value(), pid, it.key());
    }
    m_fdsByPid.erase(process);
}

void OwnerResolver::forgetPid(int pid)
{
    dropFds(pid);
    m_commandByPid.remove(pid);
    m_unreadableUidByPid.remove(pid);
}

void OwnerResolver::markUnreadable(int rootFd, int pid)
{
    ++m_lastScan.pidsUnreadable;
    dropFds(pid);
    m_commandByPid.remove(pid);
    if (m_unreadableUidByPid.contains(pid))
        return;
    // Where a process hides its descriptors (a sandbox's pid 1, even from root),
    // /proc/PID/net/tcp still tells its network namespace: each namespace has its
    // own proc entry. One in another namespace does not hold the sockets we dump
    // (except by fd passing or setns after creating them: accepted), so it must
    // not turn them Unknown.
    char netPath[40];
    std::snprintf(netPath, sizeof netPath, "%d/net/tcp", pid);
    struct stat net = {};
    if (m_ownNetInode != 0 && ::fstatat(rootFd, netPath, &net, 0) == 0 &&
        net.st_ino != m_ownNetInode)
        return;
    // /proc/PID belongs to the process's euid (root when it is not dumpable).
    char path[32];
    std::snprintf(path, sizeof path, "%d", pid);
    struct stat info = {};
    m_unreadableUidByPid.insert(pid, ::fstatat(rootFd, path, &info, 0) == 0
                                         ? std::uint32_t(info.st_uid)
                                         : m_euid); // unknown owner: assume it could be us
}

void OwnerResolver::settle(bool fullPassDone)
{
    if (fullPassDone) {
        m_notFound.unite(m_unconfirmed);
        m_unconfirmed.clear();
    }
    QSet<std::uint32_t> &unresolved = fullPassDone ? m_notFound : m_unconfirmed;
    for (const std::uint32_t inode : std::as_const(m_dumped)) {
        if (!m_holders.contains(inode) && !m_notFound.contains(inode))
            unresolved.insert(inode);
    }
    m_ownPidUnreadable = std::any_of(m_unreadableUidByPid.cbegin(), m_unreadableUidByPid.cend(),
                                     [this](std::uint32_t uid) { return uid == m_euid; });
}

void OwnerResolver::updateOwnerPids()
{
    m_ownerPids.clear();
    for (const std::uint32_t inode : std::as_const(m_dumped)) {
        const auto holders = m_holders.constFind(inode);
        if (holders == m_holders.constEnd())
            continue;
        for (const Holder &holder : *holders)
            m_ownerPids.insert(holder.pid);
    }
}

void OwnerResolver::readCommands(int rootFd, bool reread)
{
    if (reread)
        m_commandByPid.clear();
    for (const int pid : std::as_const(m_ownerPids)) {
        if (!m_commandByPid.contains(pid))
            m_commandByPid.insert(pid, commandOf(rootFd, pid));
    }
}

} // namespace sockscope
