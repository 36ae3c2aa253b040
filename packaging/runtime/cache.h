// SPDX-License-Identifier: GPL-3.0-or-later
// Extract-once cache for hosts without FUSE: the image is unpacked a single
// time per user into a directory named by its SHA-256, and later runs start
// straight from there.
#ifndef SOCKSCOPE_CACHE_H
#define SOCKSCOPE_CACHE_H

#include "image.h"

#include <stddef.h>

/* Finds or creates the extracted copy of img and writes its directory to out.
 * Tries $XDG_CACHE_HOME/appimage (or ~/.cache/appimage), then
 * $TMPDIR/appimage-<uid>. Concurrent callers serialise on a lock file and the
 * copy appears by an atomic rename, so a reader never sees half a tree and a
 * killed extraction leaves nothing that is used later. Returns 0, or -1 after
 * printing why (image corrupted, no writable cache directory). */
int cache_prepare(struct image *img, char *out, size_t outlen);

#endif
