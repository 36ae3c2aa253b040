// SPDX-License-Identifier: GPL-3.0-or-later
#include "owners/ownerresolver.h"

#include "owners/procfs.h"
#include "util/monotonic.h"
#include "util/uniquefd.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <fcntl.h>
#include <linux/magic.h>
#include <QFile>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <utility>

namespace sockscope {

using namespace procfs;

namespace {

// Why a full re-read exists at all: an incremental scan reads only descriptor
// numbers it has not read before. When a process closes a file, pipe or UDP
// socket (inodes we never forget, they are not in the TCP dump) and the number
// is reused by a new TCP socket, the cache still holds the old target and the
// new socket is "not found". Such an inode stays Unknown until one pass
// ignoring the fd cache confirms it; the pass costs a readlink per descriptor
// in our namespace, hence at most one every two seconds.
constexpr std::int64_t kFullPassIntervalMs = 2000;

template <typename Entries> auto findFd(Entries &entries, int fd)
{
    const auto it = std::lower_bound(entries.begin(), entries.end(), fd,
                                     [](const auto &entry, int value) { return entry.fd < value; });
    return it != entries.end() && it->fd == fd ? &*it : nullptr;
}

} // namespace

OwnerResolver::OwnerResolver(QString procRoot, Holders holders)
    : m_procRoot(std::move(procRoot)), m_holdersWanted(holders), m_euid(std::uint32_t(::geteuid())),
      m_selfPid(selfPidIn(m_procRoot))
{
    struct stat net = {};
    const QByteArray path = QFile::encodeName(m_procRoot + QStringLiteral("/self/net/tcp"));
    if (::stat(path.constData(), &net) == 0)
        m_ownNetInode = net.st_ino;
    const QByteArray ns = QFile::encodeName(m_procRoot + QStringLiteral("/self/ns/net"));
    m_ownNamespace = netNamespaceOf(AT_FDCWD, ns.constData());
    struct statfs filesystem = {};
    m_procCountsFds = ::statfs(QFile::encodeName(m_procRoot).constData(), &filesystem) == 0 &&
                      filesystem.f_type == PROC_SUPER_MAGIC;
}

bool OwnerResolver::sawEverything() const
{
    return m_walked && !m_rootUnreadable && m_unreadableUidByPid.isEmpty();
}

void OwnerResolver::invalidate()
{
    const NamespaceId chosen = m_ownNamespace;
    const ino_t netInode = m_ownNetInode;
    *this = OwnerResolver(m_procRoot, m_holdersWanted);
    setNetworkNamespace(chosen, netInode);
}

void OwnerResolver::setNetworkNamespace(procfs::NamespaceId id, ino_t procNetInode)
{
    m_ownNamespace = id;
    m_ownNetInode = procNetInode;
}

void OwnerResolver::followCallingThread()
{
    const NamespaceId id = netNamespaceOf(AT_FDCWD, "/proc/thread-self/ns/net");
    if (id.inode == 0)
        return;
    struct stat net = {};
    setNetworkNamespace(id, ::stat("/proc/thread-self/net/tcp", &net) == 0 ? net.st_ino : 0);
}

void OwnerResolver::refresh(const std::vector<SocketRecord> &sockets)
{
    m_lastScan = {};
    // A poll of an unchanged machine: the kernel dumps the same sockets in the
    // same order, and a comparison of two arrays replaces two set differences.
    m_dumpKey.clear();
    m_dumpKey.reserve(sockets.size());
    for (const SocketRecord &socket : sockets) {
        if (socket.inode != 0)
            m_dumpKey.push_back(std::uint64_t(socket.inode) << 1 |
                                (socket.state == TcpState::Listen ? 1 : 0));
    }
    bool changed = false;
    bool missing = false;
    if (m_dumpKey != m_lastDumpKey) {
        std::swap(m_dumpKey, m_lastDumpKey);
        updateDumped(sockets, &changed, &missing);
    }

    const std::int64_t now = monotonicMs();
    const auto fullPassAllowed = [&] {
        return !m_walked || now - m_lastFullPassMs >= kFullPassIntervalMs;
    };
    const bool fullDue =
        std::exchange(m_fullPassNext, false) || (!m_unconfirmed.isEmpty() && fullPassAllowed());
    if (!missing && !fullDue && m_ownerPids.isEmpty())
        return;

    const UniqueFd root(
        ::open(QFile::encodeName(m_procRoot).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    m_rootUnreadable = !root.valid();
    if (!root.valid()) {
        m_lastScan.scanned = missing || fullDue;
        settle(false);
        return;
    }
    const int rootFd = root.get();
    bool fullPass = false;
    if (missing || fullDue) {
        fullPass = fullDue || !m_walked;
        walk(rootFd, fullPass ? Pass::Full : Pass::Incremental);
        settle(fullPass);
        if (!fullPass && !m_unconfirmed.isEmpty() && fullPassAllowed()) {
            walk(rootFd, Pass::Full);
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
    // A full pass also re-reads commands: a process may have exec'd.
    readCommands(rootFd, fullPass);
}

void OwnerResolver::updateDumped(const std::vector<SocketRecord> &sockets, bool *changed,
                                 bool *missing)
{
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

    for (const std::uint32_t inode : std::as_const(m_dumped)) {
        if (!dumped.contains(inode)) {
            forgetInode(inode);
            *changed = true;
        }
    }
    for (const std::uint32_t inode : std::as_const(dumped)) {
        if (!m_dumped.contains(inode)) {
            *changed = true;
            *missing = *missing || !m_holders.contains(inode);
        }
    }
    m_dumped = std::move(dumped);
    if (*changed)
        updateOwnerPids();
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
        // Built once per change and shared: a poll's lookups allocate nothing,
        // and a caller comparing with its last answer compares one pointer.
        auto cached = m_ownersByInode.constFind(socket.inode);
        if (cached == m_ownersByInode.constEnd()) {
            QList<OwnerProcess> owners;
            owners.reserve(holders->size());
            for (const Holder &holder : *holders)
                owners.append({holder.pid, holder.fd, m_commandByPid.value(holder.pid)});
            std::sort(owners.begin(), owners.end(), [](const auto &a, const auto &b) {
                return a.pid != b.pid ? a.pid < b.pid : a.fd < b.fd;
            });
            cached = m_ownersByInode.insert(socket.inode, owners);
        }
        result.owners = *cached;
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

void OwnerResolver::walk(int rootFd, Pass pass)
{
    m_lastScan.scanned = true;
    m_lastScan.pidsListed = 0;
    m_lastScan.pidsUnreadable = 0;
    m_lastScan.pidsOtherNamespace = 0;
    m_pids.clear();
    ::lseek(rootFd, 0, SEEK_SET);
    forEachEntry(rootFd, m_entryBuffer, [this](const char *name, unsigned char) {
        if (const int pid = parseNumber(name); pid > 0)
            m_pids.push_back(pid);
        return true;
    });
    std::sort(m_pids.begin(), m_pids.end()); // as /proc lists them; fake trees may not
    const bool stopEarly = m_holdersWanted == Holders::FirstFound;
    if (stopEarly) {
        m_unplaced = std::count_if(m_dumped.cbegin(), m_dumped.cend(), [this](std::uint32_t inode) {
            return !m_holders.contains(inode);
        });
        m_walking = true;
    }
    bool complete = true;
    for (const int pid : m_pids) {
        // Nothing left to place: the pids not read keep their cache and
        // cannot make anything Orphaned (nothing is unplaced).
        if (stopEarly && m_unplaced == 0) {
            complete = false;
            m_lastScan.stoppedEarly = true;
            break;
        }
        ++m_lastScan.pidsListed;
        scanPid(rootFd, pid, pass);
    }
    m_walking = false;
    if (complete) {
        const QList<int> known = m_fdsByPid.keys() + m_unreadableUidByPid.keys();
        for (const int pid : known) {
            if (!std::binary_search(m_pids.cbegin(), m_pids.cend(), pid))
                forgetPid(pid); // exited
        }
    }
    m_walked = true;
}

bool OwnerResolver::inOtherNamespace(int rootFd, int pid)
{
    // SockScope itself holds what its lab made inside the namespace shown
    // (the lab thread enters it for each socket): read it wherever it runs.
    if (!m_ownNamespace.known() || pid == m_selfPid)
        return false;
    char path[32];
    std::snprintf(path, sizeof path, "%d/ns/net", pid);
    // Unknown (EACCES, a tree without ns links): read it like any process.
    const NamespaceId id = netNamespaceOf(rootFd, path);
    return id.known() && !(id == m_ownNamespace);
}

int OwnerResolver::msUntilConfirmation() const
{
    if (m_unconfirmed.isEmpty())
        return -1;
    if (!m_walked)
        return 0;
    const std::int64_t left = m_lastFullPassMs + kFullPassIntervalMs - monotonicMs();
    return left <= 0 ? 0 : static_cast<int>(left);
}

void OwnerResolver::scanPid(int rootFd, int pid, Pass pass)
{
    if (inOtherNamespace(rootFd, pid)) {
        ++m_lastScan.pidsOtherNamespace;
        forgetPid(pid); // it may have moved there (setns): what it held here is stale
        return;
    }
    char path[32];
    std::snprintf(path, sizeof path, "%d/fd", pid);
    // Counted before reading so a change during the read shows up next time.
    const std::int64_t fdCount = fdCountOf(rootFd, path);
    // A reused pid is another process: none of the old one's fds or command apply.
    const std::uint64_t startTime = startTimeOf(rootFd, pid);
    const auto known = m_fdsByPid.constFind(pid);
    if (known != m_fdsByPid.constEnd() && known->startTime != startTime) {
        ++m_lastScan.pidsRestarted;
        forgetPid(pid);
    } else if (pass == Pass::Incremental && known != m_fdsByPid.constEnd() && !known->hasStale &&
               known->fdCount > 0 && fdCount == known->fdCount) {
        // Listing costs a lookup per descriptor. With the same count, a new
        // number implies a closed one: the reuse a full pass is there for.
        ++m_lastScan.pidsUnchanged;
        return;
    }
    const UniqueFd dir(::openat(rootFd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir.valid()) {
        if (errno == ENOENT || errno == ESRCH)
            forgetPid(pid); // exited since the listing
        else
            markUnreadable(rootFd, pid); // EACCES, EPERM, ENOTDIR, EMFILE: we cannot tell
        return;
    }
    ProcessFds &process = m_fdsByPid[pid];
    process.startTime = startTime;
    // Every number is read anyway: by number first, skipping the listing.
    const bool probe = m_procCountsFds && pid != m_selfPid && fdCount > 0 &&
                       (pass == Pass::Full || process.fds.empty());
    bool denied = false;
    const bool readable = probe && probeFds(dir.get(), fdCount, &denied)
                              ? !denied
                              : readFdDirectory(rootFd, dir.get(), pid, fdCount, process, pass);
    if (!readable) {
        if (errno == ENOENT || errno == ESRCH)
            forgetPid(pid);
        else
            markUnreadable(rootFd, pid);
        return;
    }
    process.fdCount = fdCount;
    replaceFds(pid, process);
    m_unreadableUidByPid.remove(pid);
}

bool OwnerResolver::probeFds(int dirFd, std::int64_t fdCount, bool *denied)
{
    // The kernel hands out the lowest free number, so tables are mostly dense,
    // and listing a directory costs a lookup per entry, as much as the readlink.
    // Holes cost a failed lookup each: past a few, listing is cheaper.
    m_readFds.clear();
    std::int64_t misses = 0;
    char name[16];
    char target[64];
    for (int fd = 0; std::int64_t(m_readFds.size()) < fdCount; ++fd) {
        *std::to_chars(name, name + sizeof name - 1, fd).ptr = '\0';
        ++m_lastScan.fdsRead;
        const ssize_t length = ::readlinkat(dirFd, name, target, sizeof target);
        if (length >= 0) {
            m_readFds.push_back({fd, socketInode(target, std::size_t(length)), false});
            continue;
        }
        if (errno == EACCES || errno == EPERM) {
            *denied = true;
            return true;
        }
        if (errno != ENOENT || ++misses > 64 + std::int64_t(m_readFds.size()) / 4)
            return false;
    }
    return true;
}

bool OwnerResolver::readFdDirectory(int rootFd, int dirFd, int pid, std::int64_t fdCount,
                                    const ProcessFds &process, Pass pass)
{
    // A changed count may hide a closed listener whose number was reused at once
    // (S1 in our own process: the next open() takes it). Listeners are few, and a
    // closed connection needs no such check: the dump then reports inode 0.
    const bool recount = pass == Pass::Incremental && fdCount != process.fdCount;
    const std::vector<int> recheck = recount ? listenerFds(process) : std::vector<int>();
    m_readFds.clear();
    bool denied = false;
    char target[64];
    const bool listed =
        forEachEntry(dirFd, m_entryBuffer, [&](const char *name, unsigned char type) {
            if (type != DT_LNK && type != DT_UNKNOWN)
                return true; // ".", ".."
            const int fd = parseNumber(name);
            // Our own walking descriptors: cached, they would hide the socket that
            // takes their number next (the lowest free one).
            if (fd < 0 || (pid == m_selfPid && (fd == rootFd || fd == dirFd)))
                return true;
            if (pass == Pass::Incremental) {
                const FdEntry *cached = findFd(process.fds, fd);
                if (cached && !cached->stale &&
                    std::find(recheck.begin(), recheck.end(), fd) == recheck.end()) {
                    m_readFds.push_back(*cached);
                    return true;
                }
            }
            ++m_lastScan.fdsRead;
            const ssize_t length = ::readlinkat(dirFd, name, target, sizeof target);
            if (length < 0 && (errno == EACCES || errno == EPERM)) {
                // The directory's mode allowed listing, but links need ptrace access.
                denied = true;
                return false;
            }
            if (length >= 0) // otherwise closed since it was listed
                m_readFds.push_back({fd, socketInode(target, std::size_t(length)), false});
            return true;
        });
    return listed && !denied;
}

void OwnerResolver::replaceFds(int pid, ProcessFds &process)
{
    // /proc lists fds in ascending order; other trees may not.
    if (!std::is_sorted(m_readFds.begin(), m_readFds.end(),
                        [](const FdEntry &a, const FdEntry &b) { return a.fd < b.fd; }))
        std::sort(m_readFds.begin(), m_readFds.end(),
                  [](const FdEntry &a, const FdEntry &b) { return a.fd < b.fd; });
    auto old = process.fds.cbegin();
    auto read = m_readFds.cbegin();
    while (old != process.fds.cend() || read != m_readFds.cend()) {
        const bool closed =
            read == m_readFds.cend() || (old != process.fds.cend() && old->fd < read->fd);
        const bool opened = !closed && (old == process.fds.cend() || read->fd < old->fd);
        if (closed || (!opened && (old->stale || old->inode != read->inode))) {
            if (old->inode != 0)
                dropHolder(old->inode, pid, old->fd);
        }
        if (opened || (!closed && (old->stale || old->inode != read->inode))) {
            if (read->inode != 0)
                addHolder(read->inode, pid, read->fd);
        }
        if (!opened)
            ++old;
        if (!closed)
            ++read;
    }
    std::swap(process.fds, m_readFds); // the old vector's capacity serves the next read
    process.hasStale = false;
}

std::vector<int> OwnerResolver::listenerFds(const ProcessFds &process) const
{
    std::vector<int> fds;
    for (const FdEntry &entry : process.fds) {
        if (entry.inode != 0 && m_dumpedListeners.contains(entry.inode))
            fds.push_back(entry.fd);
    }
    return fds;
}

void OwnerResolver::addHolder(std::uint32_t inode, int pid, int fd)
{
    m_ownersByInode.remove(inode);
    QList<Holder> &holders = m_holders[inode];
    if (holders.isEmpty() && m_walking && m_dumped.contains(inode))
        --m_unplaced;
    holders.append({pid, fd});
    m_notFound.remove(inode);
    m_unconfirmed.remove(inode);
}

void OwnerResolver::dropHolder(std::uint32_t inode, int pid, int fd)
{
    const auto it = m_holders.find(inode);
    if (it == m_holders.end())
        return;
    it->removeIf([&](const Holder &holder) { return holder.pid == pid && holder.fd == fd; });
    m_ownersByInode.remove(inode);
    if (!it->isEmpty())
        return;
    m_holders.erase(it); // settle() classifies it if it is still dumped
    if (m_walking && m_dumped.contains(inode))
        ++m_unplaced;
}

void OwnerResolver::forgetInode(std::uint32_t inode)
{
    // Removing the fds too makes the next scan read those numbers again,
    // which is how a descriptor number reused for a new socket is noticed.
    for (const Holder &holder : m_holders.value(inode)) {
        const auto process = m_fdsByPid.find(holder.pid);
        if (process == m_fdsByPid.end())
            continue;
        if (FdEntry *entry = findFd(process->fds, holder.fd)) {
            entry->stale = true;
            process->hasStale = true;
        }
    }
    m_holders.remove(inode);
    m_ownersByInode.remove(inode);
    m_notFound.remove(inode);
    m_unconfirmed.remove(inode);
}

void OwnerResolver::dropFds(int pid)
{
    const auto process = m_fdsByPid.constFind(pid);
    if (process == m_fdsByPid.constEnd())
        return;
    for (const FdEntry &entry : process->fds) {
        if (entry.inode != 0)
            dropHolder(entry.inode, pid, entry.fd);
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
    if (reread) {
        m_commandByPid.clear();
        m_ownersByInode.clear();
    }
    for (const int pid : std::as_const(m_ownerPids)) {
        if (m_commandByPid.contains(pid))
            continue;
        m_commandByPid.insert(pid, commandOf(rootFd, pid));
        // Answers given while its command was not read yet.
        const auto process = m_fdsByPid.constFind(pid);
        if (process == m_fdsByPid.constEnd())
            continue;
        for (const FdEntry &entry : process->fds) {
            if (entry.inode != 0)
                m_ownersByInode.remove(entry.inode);
        }
    }
}

} // namespace sockscope
