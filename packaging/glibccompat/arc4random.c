// SPDX-License-Identifier: GPL-3.0-or-later
// Functions newer than the AppImage's glibc floor that bundled libraries call
// (BundlePolicy.cmake's SOCKSCOPE_GLIBC_COMPAT_SYMBOLS). The libraries'
// references are unversioned (tools/unversion_symbols.c), so the host's glibc
// wins where it has them (it comes first in the lookup order); these are only
// reached on older hosts.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

// Kernels before 3.17 have no getrandom(); /dev/urandom then. Like glibc's
// own, it cannot report failure, so it aborts rather than return predictable
// bytes.
static void urandom(unsigned char *p, size_t size)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        abort();
    while (size > 0) {
        ssize_t n = read(fd, p, size);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            abort();
        }
        p += n;
        size -= (size_t)n;
    }
    close(fd);
}

void arc4random_buf(void *buffer, size_t size)
{
    unsigned char *p = buffer;
    while (size > 0) {
        ssize_t n = getrandom(p, size, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == ENOSYS) {
                urandom(p, size);
                return;
            }
            abort();
        }
        p += n;
        size -= (size_t)n;
    }
}
