// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace sockscope {

struct OwnerProcess
{
    int pid = 0;
    int fd = -1;
    QString command; // /proc/PID/cmdline, arguments joined by spaces
    friend bool operator==(const OwnerProcess &, const OwnerProcess &) = default;
};

// Owned: some process holds a descriptor to it. Orphaned: nobody does (inode 0,
// kernel-owned FIN_WAIT2/TIME_WAIT, or S1's listener kept alive by an accept()
// after its descriptor was closed). Unknown: it may belong to a process whose
// descriptors we are not allowed to read.
enum class Ownership
{
    Owned,
    Orphaned,
    Unknown
};
QString ownershipName(Ownership ownership); // "owned", "orphaned", "unknown"
const char *ownershipCName(Ownership ownership);

struct OwnerLookup
{
    Ownership ownership = Ownership::Unknown;
    QList<OwnerProcess> owners;
    friend bool operator==(const OwnerLookup &, const OwnerLookup &) = default;
};

} // namespace sockscope
