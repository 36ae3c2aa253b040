// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "owners/ownerinfo.h"
#include "owners/procfs.h"

#include <cstdint>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <sys/types.h>
#include <vector>

namespace sockscope {

struct OwnerScanStats
{
    int pidsListed = 0;         // processes seen in the last scan (or rescanned owners)
    int fdsRead = 0;            // readlink() calls of the last refresh()
    int pidsUnreadable = 0;     // fd directories we were denied
    int pidsOtherNamespace = 0; // skipped: their net namespace is not ours
    int pidsRestarted = 0;      // cached pid with a new start time: a new process
    int pidsUnchanged = 0;      // not listed: same fd count and start time, nothing stale
    bool scanned = false;       // false when the cache answered everything
    bool stoppedEarly = false;  // the walk ended once every dumped inode had a holder
};

// Maps socket inodes to the processes holding them by reading /proc/PID/fd.
// Incremental: a cache of inode -> owners and of each pid's fd -> inode; a scan
// runs only when a dumped socket has an inode not in the cache, and then reads
// only descriptors it has not read before. Not thread-safe (lives in the poller).
//
// Between scans, each owning process's descriptor count (st_size of
// /proc/PID/fd, Linux 6.2+) is compared with the count at its last read, so an
// exited owner or a closed listener fd (S1) is noticed by rescanning that pid.
//
// Processes in another network namespace than ours (PID/ns/net) are not read:
// the sockets we are given are dumped from ours. One whose namespace we may not
// tell is read like any other. A pid's cache lives as long as its start time,
// and an incremental walk does not list a process whose count is unchanged
// (a new number then implies a reused one: the full pass's case).
class OwnerResolver
{
public:
    enum class Holders
    {
        All,       // every process holding each socket, like ss -p (a pre-forked server's workers)
        FirstFound // the walk stops once every dumped socket has one holder
    };

    explicit OwnerResolver(QString procRoot = QStringLiteral("/proc"),
                           Holders holders = Holders::All);

    // Brings the cache up to date for these sockets (the current dump). Drops
    // cache entries for inodes no longer dumped. Never fails: a process or
    // descriptor that vanishes mid-scan is skipped, a directory it may not read
    // is counted in lastScan().pidsUnreadable.
    void refresh(const std::vector<SocketRecord> &sockets);

    // Owned with the owners (sorted by pid, then fd) when known; Orphaned for
    // inode 0, or when a full read of every process found no holder and either
    // every fd directory was readable or the socket's uid is ours and only
    // other users' processes were unreadable; Unknown otherwise (including a
    // socket refresh() has not been given, or not yet confirmed by a full read).
    // The owners list is built once per change of holders or commands and
    // shared (implicitly) by every answer until then; building it is why even
    // lookup() must not run concurrently with anything else here.
    OwnerLookup lookup(const SocketRecord &socket) const;

    const OwnerScanStats &lastScan() const { return m_lastScan; }
    // True when /proc was listed and every process's descriptors could be read
    // the last time each process was looked at.
    bool sawEverything() const;

    // Sockets whose holders were lost between full passes stay Unknown until
    // the next full pass, at most one every 2 s: milliseconds until one is
    // allowed for them (0: now), -1 when none waits.
    int msUntilConfirmation() const;
    // The next refresh() reads every process's descriptors again, as ss -p
    // would: for a poll a user asked for (the lab just closed something), where
    // an unchanged descriptor count can hide a closed listener (our own
    // process opens and closes descriptors on other threads all the time).
    void fullPassNext() { m_fullPassNext = true; }

    // Forgets every cached owner, descriptor and command ("refresh owners"):
    // the next refresh() reads every process again.
    void invalidate();

    // The sockets given are another network namespace's than ours: its
    // processes are the ones read (their PID/ns/net is `id`), the others
    // skipped. procNetInode: the inode of that namespace's /proc net/tcp
    // (0 when unknown), for processes that hide their descriptors.
    void setNetworkNamespace(procfs::NamespaceId id, ino_t procNetInode);
    // setNetworkNamespace() with the calling thread's namespace (read from
    // /proc/thread-self): a thread inside a NamespaceScope dumps that
    // namespace, while /proc/self still names the main thread's.
    void followCallingThread();

private:
    struct Holder
    {
        int pid = 0;
        int fd = -1;
    };
    struct FdEntry
    {
        int fd = -1;
        std::uint32_t inode = 0; // 0: not a socket
        bool stale = false;      // its socket left the dump: read the number again
    };
    struct ProcessFds
    {
        std::vector<FdEntry> fds;  // sorted by fd
        std::int64_t fdCount = -1; // st_size of the fd directory when read
        std::uint64_t startTime = 0;
        bool hasStale = false;
    };
    enum class Pass
    {
        Incremental,
        Full
    };

    void updateDumped(const std::vector<SocketRecord> &sockets, bool *changed, bool *missing);
    void forgetInode(std::uint32_t inode);
    void forgetPid(int pid);
    std::vector<int> listenerFds(const ProcessFds &process) const;
    void replaceFds(int pid, ProcessFds &process);
    void addHolder(std::uint32_t inode, int pid, int fd);
    void dropHolder(std::uint32_t inode, int pid, int fd);
    void dropFds(int pid);
    void markUnreadable(int rootFd, int pid);
    bool inOtherNamespace(int rootFd, int pid);
    bool probeFds(int dirFd, std::int64_t fdCount, bool *denied);
    bool readFdDirectory(int rootFd, int dirFd, int pid, std::int64_t fdCount,
                         const ProcessFds &process, Pass pass);
    void walk(int rootFd, Pass pass);
    void scanPid(int rootFd, int pid, Pass pass);
    void settle(bool fullPassDone);
    void updateOwnerPids();
    void readCommands(int rootFd, bool reread);

    QString m_procRoot;
    Holders m_holdersWanted = Holders::All;
    std::uint32_t m_euid = 0;
    int m_selfPid = 0;                             // 0 when procRoot has no "self" link
    QHash<std::uint32_t, QList<Holder>> m_holders; // every socket inode seen in a cached fd
    QHash<int, ProcessFds> m_fdsByPid;
    QHash<int, QString> m_commandByPid;
    mutable QHash<std::uint32_t, QList<OwnerProcess>> m_ownersByInode; // lookup()'s, sorted
    QHash<int, std::uint32_t> m_unreadableUidByPid; // owner uid of fd dirs we may not read
    QSet<std::uint32_t> m_dumped;                   // non-zero inodes of the last refresh
    QSet<std::uint32_t> m_dumpedListeners;          // LISTEN among them
    QSet<std::uint32_t> m_notFound;                 // no holder after a full read
    QSet<std::uint32_t> m_unconfirmed; // no holder, but only an incremental read looked
    QSet<int> m_ownerPids;             // pids holding a dumped inode
    bool m_walked = false;
    bool m_rootUnreadable = false;
    // Two identities of our namespace: ns/net needs ptrace access to another
    // process, net/tcp does not (the fallback for processes that hide their fds).
    ino_t m_ownNetInode = 0;                  // /proc/self/net/tcp: a proc inode per namespace
    procfs::NamespaceId m_ownNamespace;       // /proc/self/ns/net: the namespace's nsfs inode
    qsizetype m_unplaced = 0;                 // dumped inodes without a holder, kept during a walk
    bool m_walking = false;                   // a FirstFound walk: m_unplaced is kept
    bool m_procCountsFds = false;             // procRoot is procfs: fd directory sizes are counts
    std::vector<std::uint64_t> m_dumpKey;     // inode << 1 | listening, in dump order
    std::vector<std::uint64_t> m_lastDumpKey; // the same of the last refresh
    std::vector<char> m_entryBuffer;          // getdents64, reused
    std::vector<int> m_pids;                  // the walk's listing, reused
    std::vector<FdEntry> m_readFds;           // one directory's fds as read, swapped into the cache
    bool m_ownPidUnreadable = false;          // an unreadable fd directory belongs to our euid
    std::int64_t m_lastFullPassMs = 0;
    bool m_fullPassNext = false;
    OwnerScanStats m_lastScan;
};

} // namespace sockscope
