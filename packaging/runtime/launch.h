// SPDX-License-Identifier: GPL-3.0-or-later
// Hands over to the AppDir's AppRun with the environment AppImages promise.
#ifndef SOCKSCOPE_LAUNCH_H
#define SOCKSCOPE_LAUNCH_H

#include "image.h"

/* Sets APPIMAGE (the image's absolute path), APPDIR, ARGV0 (argv0 as typed)
 * and OWD (the directory the user started from), then execs appdir/AppRun
 * with args (argv[0] first). Returns only when exec failed, after printing. */
void launch_apprun(const struct image *img, const char *appdir, const char *argv0, const char *owd,
                   char **args);

#endif
