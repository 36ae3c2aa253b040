// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "owners/ownerinfo.h"

#include <cstdint>
#include <dirent.h>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <sys/types.h>
#include <vector>

namespace sockscope {

struct OwnerScanStats
{
    int pidsListed = 0;     // processes seen in the last scan (or rescanned owners)
    int fdsRead = 0;        // readlink() calls of the last refresh()
    int pidsUnreadable = 0; // fd directories we were denied
    bool scanned = false;   // false when the cache answered everything
};

// Maps socket inodes to the processes holding them by reading /proc/PID/fd.
// Incremental: a cache of inode -> owners and of each pid's fd -> inode; a scan
// runs only when a dumped socket has an inode not in the cache, and then reads
// only descriptors it has not read before. Not thread-safe (lives in the poller).
//
// Between scans, each owning process's descriptor count (st_size of
// /proc/PID/fd, Linux 6.2+) is compared with the count at its last read, so an
// exited owner or a closed listener fd (S1) is noticed by rescanning that pid.
class OwnerResolver
{
public:
    explicit OwnerResolver(QString procRoot = QStringLiteral("/proc"));

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
    OwnerLookup lookup(const SocketRecord &socket) const;

    const OwnerScanStats &lastScan() const { return m_lastScan; }
    // True when /proc was listed and every process's descriptors could be read
    // the last time each process was looked at.
    bool sawEverything() const;

    // Forgets every cached owner, descriptor and command ("refresh owners"):
    // the next refresh() reads every process again.
    void invalidate();

private:
    struct Holder
    {
        int pid = 0;
        int fd = -1;
    };
    struct ProcessFds
    {
        QHash<int, std::uint32_t> inodeByFd; // 0: not a socket
        std::int64_t fdCount = -1;           // st_size of the fd directory when read
    };
    enum class Pass
    {
        Incremental,
        Full
    };

    void forgetInode(std::uint32_t inode);
    void forgetPid(int pid);
    std::vector<int> listenerFds(const ProcessFds &process) const;
    void setFd(int pid, ProcessFds &process, int fd, std::uint32_t inode);
    void dropHolder(std::uint32_t inode, int pid, int fd);
    void dropFds(int pid);
    void markUnreadable(int rootFd, int pid);
    void walk(DIR *root, Pass pass);
    void scanPid(int rootFd, int pid, Pass pass);
    void settle(bool fullPassDone);
    void updateOwnerPids();
    void readCommands(int rootFd, bool reread);

    QString m_procRoot;
    std::uint32_t m_euid = 0;
    int m_selfPid = 0;                             // 0 when procRoot has no "self" link
    QHash<std::uint32_t, QList<Holder>> m_holders; // every socket inode seen in a cached fd
    QHash<int, ProcessFds> m_fdsByPid;
    QHash<int, QString> m_commandByPid;
    QHash<int, std::uint32_t> m_unreadableUidByPid; // owner uid of fd dirs we may not read
    QSet<std::uint32_t> m_dumped;                   // non-zero inodes of the last refresh
    QSet<std::uint32_t> m_dumpedListeners;          // LISTEN among them
    QSet<std::uint32_t> m_notFound;                 // no holder after a full read
    QSet<std::uint32_t> m_unconfirmed; // no holder, but only an incremental read looked
    QSet<int> m_ownerPids;             // pids holding a dumped inode
    bool m_walked = false;
    bool m_rootUnreadable = false;
    ino_t m_ownNetInode = 0;         // /proc/self/net/tcp: identifies our network namespace
    bool m_ownPidUnreadable = false; // an unreadable fd directory belongs to our euid
    std::int64_t m_lastFullPassMs = 0;
    OwnerScanStats m_lastScan;
};

} // namespace sockscope
