// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "owners/ownerinfo.h"

#include <QHash>
#include <QString>

#include <cstdint>
#include <vector>

namespace sockscope {

struct OwnerScanStats
{
    int pidsListed = 0;    // processes seen in the last scan
    int fdsRead = 0;       // readlink() calls in the last scan
    int pidsUnreadable = 0; // fd directories we were denied
    bool scanned = false;  // false when the cache answered everything
};

// Maps socket inodes to the processes holding them by reading /proc/PID/fd.
// Incremental: a cache of inode -> owners and of each pid's fd -> inode; a scan
// runs only when a dumped socket has an inode not in the cache, and then reads
// only descriptors it has not read before. Not thread-safe (lives in the poller).
class OwnerResolver
{
public:
    explicit OwnerResolver(QString procRoot = QStringLiteral("/proc"));

    // Brings the cache up to date for these sockets (the current dump). Drops
    // cache entries for inodes no longer dumped.
    void refresh(const std::vector<SocketRecord> &sockets);

    // Owned with the owners when known; Orphaned for inode 0 or when every
    // process was readable and none holds it; Unknown when some process's fd
    // directory could not be read.
    OwnerLookup lookup(const SocketRecord &socket) const;

    const OwnerScanStats &lastScan() const { return m_lastScan; }
    // True when every process's descriptors could be read in the last scan.
    bool sawEverything() const { return m_lastScan.pidsUnreadable == 0; }

private:
    void scan(const QSet<std::uint32_t> &wanted);

    QString m_procRoot;
    QHash<std::uint32_t, QList<OwnerProcess>> m_byInode;
    QHash<int, QHash<int, std::uint32_t>> m_fdsByPid; // pid -> fd -> inode
    QHash<int, QString> m_commandByPid;
    OwnerScanStats m_lastScan;
};

} // namespace sockscope
