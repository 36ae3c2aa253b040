// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/descriptorcount.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>

namespace sockscope {

namespace {

QString limitText(rlim_t value)
{
    return value == RLIM_INFINITY ? QStringLiteral("unlimited") : QString::number(value);
}

// At EMFILE (or ENFILE) /proc/self/fd cannot be opened: that needs a
// descriptor too. fcntl() needs none, so ask each number the table can hold:
// all below the soft limit, and those above it a lowered limit left open.
int probedDescriptorCount()
{
    constexpr rlim_t kMaxProbed = 1 << 16; // a few ms of fcntl() at most
    rlimit limit{};
    rlim_t top = kMaxProbed;
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_max != RLIM_INFINITY)
        top = std::max(std::min(limit.rlim_max, kMaxProbed), limit.rlim_cur);
    int count = 0;
    for (rlim_t fd = 0; fd < top; ++fd) {
        if (::fcntl(static_cast<int>(fd), F_GETFD) != -1)
            ++count;
    }
    return count;
}

} // namespace

int openDescriptorCount()
{
    DIR *dir = ::opendir("/proc/self/fd");
    if (!dir)
        return errno == EMFILE || errno == ENFILE ? probedDescriptorCount() : -1;
    // The listing includes the directory's own descriptor: not one of the caller's.
    const int own = ::dirfd(dir);
    int count = 0;
    while (const dirent *entry = ::readdir(dir)) {
        if (entry->d_name[0] != '.' && std::atoi(entry->d_name) != own)
            ++count;
    }
    ::closedir(dir);
    return count;
}

QString descriptorLimitText()
{
    rlimit limit{};
    const QString open = QStringLiteral("%1 open").arg(openDescriptorCount());
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return open;
    return QStringLiteral("%1, RLIMIT_NOFILE soft %2, hard %3")
        .arg(open, limitText(limit.rlim_cur), limitText(limit.rlim_max));
}

} // namespace sockscope
