// SPDX-License-Identifier: GPL-3.0-or-later
#include "launch.h"

#include "diag.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void launch_apprun(const struct image *img, const char *appdir, const char *argv0, const char *owd,
                   char **args)
{
    char apprun[PATH_MAX + 16];
    snprintf(apprun, sizeof apprun, "%s/AppRun", appdir);
    setenv("APPIMAGE", img->path, 1);
    setenv("APPDIR", appdir, 1);
    setenv("ARGV0", argv0, 1);
    if (owd != NULL)
        setenv("OWD", owd, 1);
    execv(apprun, args);
    diag("cannot start %s: %s", apprun, strerror(errno));
}
