// SPDX-License-Identifier: GPL-3.0-or-later
// Getting a FUSE connection mounted, and detaching it again. Root (with
// CAP_SYS_ADMIN) mounts directly; everyone else asks the setuid helper,
// fusermount3 or, on hosts that only have FUSE 2, fusermount: both speak the
// same protocol (the mounted /dev/fuse descriptor comes back over the socket
// named by _FUSE_COMMFD), so one runtime serves both generations.
#ifndef SOCKSCOPE_FUSE_MOUNT_H
#define SOCKSCOPE_FUSE_MOUNT_H

#include <limits.h>
#include <stddef.h>

struct fuse_mount
{
    int fd;         /* the /dev/fuse connection; -1 when not mounted */
    int via_helper; /* 1 when a fusermount helper did the mount */
    char helper[PATH_MAX];
    char mountpoint[PATH_MAX];
};

/* Mounts a read-only FUSE filesystem named fsname at mountpoint. Returns 0,
 * or -1 with a one-line reason in why: no /dev/fuse, not permitted and no
 * helper, or the helper's own first line of complaint. */
int fuse_mount_acquire(struct fuse_mount *m, const char *mountpoint, const char *fsname, char *why,
                       size_t whylen);

/* Detaches the mount lazily (users that still hold files keep them until they
 * let go). Returns 0, or -1 when the unmount was refused. */
int fuse_mount_release(struct fuse_mount *m);

/* Lazily unmounts whatever is at mountpoint, with umount2 when permitted and
 * otherwise through a helper; for cleaning up after a server that hung. */
void fuse_mount_force_release(const char *mountpoint);

#endif
