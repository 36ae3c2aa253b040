// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <dirent.h>
#include <QByteArray>
#include <QString>
#include <sys/stat.h>
#include <vector>

// Small readers of /proc for the owner resolver: every one bounded, none throws.
namespace sockscope::procfs {

// One getdents64 call into buffer: bytes read, 0 at the end, -1 on error.
long readDirectoryChunk(int dirFd, std::vector<char> &buffer);
// A pid or fd directory entry name; -1 for anything else ("self", ".", "..").
int parseNumber(const char *name);
// "socket:[12345]" -> 12345; 0 for any other link target.
std::uint32_t socketInode(const char *target, std::size_t length);
// At most 64 KiB of a small file below dirFd; empty when it cannot be read.
QByteArray readSmallFile(int dirFd, const char *path);
// cmdline with its NUL separators as spaces; "[comm]" when cmdline is empty
// (kernel threads, zombies), as ps shows them.
QString commandOf(int rootFd, int pid);
// Our pid as this proc tree names it (its "self" link); 0 in a tree without one.
int selfPidIn(const QString &procRoot);
// st_size of /proc/PID/fd is its number of open descriptors (Linux 6.2+; 0
// before, which disables change detection). -1 when it cannot be stat'ed.
std::int64_t fdCountOf(int rootFd, const char *fdPath);
// Field 22 of PID/stat (clock ticks after boot): with the pid, it names one
// process for its whole life. 0 when it cannot be read (a fake tree, or exited).
std::uint64_t startTimeOf(int rootFd, int pid);

// A namespace's identity: the device and inode its ns link resolves to.
struct NamespaceId
{
    dev_t device = 0;
    ino_t inode = 0;
    bool known() const { return inode != 0; }
    bool operator==(const NamespaceId &) const = default;
};
// PID/ns/net below rootFd; errno is left set when it cannot be stat'ed
// (EACCES for another user's process when we are not privileged).
NamespaceId netNamespaceOf(int rootFd, const char *nsPath);

// Calls visit(name, d_type) for every entry of an open directory, through
// getdents64 into a buffer the caller reuses (no DIR, no allocation per call).
// visit returns false to stop. Returns false when reading the directory failed.
template <typename Visit> bool forEachEntry(int dirFd, std::vector<char> &buffer, Visit &&visit)
{
    if (buffer.size() < 32 * 1024)
        buffer.resize(32 * 1024);
    for (;;) {
        const long length = readDirectoryChunk(dirFd, buffer);
        if (length <= 0)
            return length == 0;
        for (long offset = 0; offset < length;) {
            const auto *entry = reinterpret_cast<const dirent64 *>(buffer.data() + offset);
            offset += entry->d_reclen;
            if (!visit(static_cast<const char *>(entry->d_name), entry->d_type))
                return true;
        }
    }
}

} // namespace sockscope::procfs
