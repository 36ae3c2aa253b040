// SPDX-License-Identifier: GPL-3.0-or-later
// Serves the image over FUSE from a child process, so that the runtime itself
// can exec the application: then the application keeps the runtime's PID, and
// its exit status and the signals sent to it need no forwarding at all.
//
// The child lives as long as anyone holds the write end of a keep-alive pipe,
// which the application inherits (and its children with it). When the last
// holder exits, the child detaches the mount, serves whoever still has files
// open until the kernel closes the connection, removes the directory and exits.
#ifndef SOCKSCOPE_FUSE_SERVER_H
#define SOCKSCOPE_FUSE_SERVER_H

#include "image.h"

#include <stddef.h>

/* Mounts img at a new directory below $TMPDIR (or /tmp) and starts serving it.
 * On success returns 0, writes the mount point, and leaves an inherited
 * keep-alive descriptor open in the caller, who must exec (or keep it open for
 * as long as the mount is needed). Returns -1 with a one-line reason in why
 * when FUSE is missing, not permitted, or the server did not come up within
 * the timeout; nothing is left mounted then. */
int fuse_serve_image(const struct image *img, char *mountpoint, size_t mountlen, char *why,
                     size_t whylen);

#endif
