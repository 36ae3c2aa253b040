// SPDX-License-Identifier: GPL-3.0-or-later
// Copies the image's tree into a directory with libsquashfuse's reader, for
// --appimage-extract and for hosts where FUSE cannot be used.
#ifndef SOCKSCOPE_EXTRACT_H
#define SOCKSCOPE_EXTRACT_H

#include "image.h"

/* Writes every directory, regular file and symlink of the image below dest
 * (created if missing; existing files are replaced). With a non-NULL pattern
 * only paths that fnmatch(3) it are written, with their parent directories.
 * Device nodes, fifos and sockets are skipped; set-id bits are dropped.
 * Returns 0, or -1 after printing the path and the reason. */
int extract_tree(const struct image *img, const char *dest, const char *pattern);

#endif
