// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <QByteArray>
#include <QString>

// Small readers of /proc for the owner resolver: every one bounded, none throws.
namespace sockscope::procfs {

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

} // namespace sockscope::procfs
