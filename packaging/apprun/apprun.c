// SPDX-License-Identifier: GPL-3.0-or-later
// AppRun: the AppDir's entry point. Chooses, per group of libraries that the
// host should provide when it can (GL dispatch, fontconfig, GLib), between the
// host's copy and the bundled fallback, then execs usr/bin/sockscope.
//
// Why not always bundle them: the host's GL vendor drivers, font configuration
// and GTK theme libraries are built against the host's own copies, and two
// copies in one process break. Why not always leave them out: a minimal
// container has none of them, and Qt's libraries need them to load at all.
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1 when every library in dir can be loaded from the host's own paths. */
static int host_has_all(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 1;
    int all = 1;
    for (struct dirent *e; all && (e = readdir(d)) != NULL;) {
        if (strncmp(e->d_name, "lib", 3) != 0 || strstr(e->d_name, ".so") == NULL)
            continue;
        void *handle = dlopen(e->d_name, RTLD_LAZY | RTLD_LOCAL);
        if (handle == NULL)
            all = 0;
        else
            dlclose(handle);
    }
    closedir(d);
    return all;
}

static void prepend_path(const char *var, const char *dir)
{
    const char *old = getenv(var);
    if (old == NULL || old[0] == '\0') {
        setenv(var, dir, 1);
        return;
    }
    size_t size = strlen(dir) + strlen(old) + 2;
    char *joined = malloc(size);
    if (joined == NULL)
        return;
    snprintf(joined, size, "%s:%s", dir, old);
    setenv(var, joined, 1);
    free(joined);
}

static void choose_host_preferred(const char *appdir)
{
    char groups[PATH_MAX + 32];
    snprintf(groups, sizeof groups, "%s/usr/lib/host-preferred", appdir);
    DIR *d = opendir(groups);
    if (d == NULL)
        return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char group[2 * PATH_MAX];
        snprintf(group, sizeof group, "%s/%s", groups, e->d_name);
        if (!host_has_all(group))
            prepend_path("LD_LIBRARY_PATH", group);
    }
    closedir(d);
}

/* A host without any fontconfig configuration (a minimal container) gets the
 * bundled one, which also lists the bundled fallback font. */
static void choose_font_config(const char *appdir)
{
    struct stat st;
    if (getenv("FONTCONFIG_FILE") != NULL || stat("/etc/fonts/fonts.conf", &st) == 0)
        return;
    char conf[PATH_MAX + 32];
    snprintf(conf, sizeof conf, "%s/usr/etc/fonts/fonts.conf", appdir);
    if (stat(conf, &st) == 0)
        setenv("FONTCONFIG_FILE", conf, 1);
}

int main(int argc, char **argv)
{
    (void)argc;
    char self[PATH_MAX];
    if (realpath("/proc/self/exe", self) == NULL) {
        fprintf(stderr, "AppRun: cannot find itself: %s\n", strerror(errno));
        return 127;
    }
    char *slash = strrchr(self, '/');
    *slash = '\0';
    const char *appdir = self;
    if (getenv("APPDIR") == NULL)
        setenv("APPDIR", appdir, 1);
    choose_host_preferred(appdir);
    choose_font_config(appdir);

    char exe[PATH_MAX + 32];
    snprintf(exe, sizeof exe, "%s/usr/bin/sockscope", appdir);
    execv(exe, argv);
    fprintf(stderr, "AppRun: cannot start %s: %s\n", exe, strerror(errno));
    return 127;
}
