// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/standarddescriptors.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace sockscope::cli {

void ensureStandardDescriptors()
{
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
        if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        // open() takes the lowest free number: this one, the lower ones being open.
        const int opened = ::open("/dev/null", O_RDWR);
        if (opened >= 0 && opened != fd)
            ::close(opened);
    }
}

} // namespace sockscope::cli
