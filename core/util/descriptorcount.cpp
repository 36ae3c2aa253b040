// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/descriptorcount.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <unistd.h>

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

QString descriptorsUsedUpText()
{
    return QStringLiteral("this process has used all its descriptors (%1): close some, or raise "
                          "the soft limit (ulimit -n)")
        .arg(descriptorLimitText());
}

Status descriptorForNewThread(const QString &what)
{
    const int fd = ::eventfd(0, EFD_CLOEXEC);
    if (fd >= 0) {
        ::close(fd);
        return Ok{};
    }
    const int errnum = errno;
    const QString fix =
        errnum == EMFILE ? descriptorsUsedUpText() : QString::fromLocal8Bit(std::strerror(errnum));
    return Error{errnum, QStringLiteral("cannot start %1's thread: %2").arg(what, fix)};
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
