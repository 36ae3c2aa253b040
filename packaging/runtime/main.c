// SPDX-License-Identifier: GPL-3.0-or-later
// AppImage type 2 runtime: the ELF part of the AppImage file. Mounts the
// appended squashfs image with FUSE, or, where FUSE is missing or not
// permitted, runs from a copy extracted once into a per-user cache.
#include "cache.h"
#include "diag.h"
#include "extract.h"
#include "fuse_server.h"
#include "image.h"
#include "launch.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RUNTIME_VERSION
#define RUNTIME_VERSION "unknown"
#endif

static void usage(void)
{
    printf("AppImage runtime %s. Options understood before the application's own:\n"
           "  --appimage-help               this text\n"
           "  --appimage-version            the runtime's version\n"
           "  --appimage-offset             byte offset of the squashfs image\n"
           "  --appimage-extract [PATTERN]  unpack (files matching PATTERN) to ./squashfs-root\n"
           "  --appimage-extract-and-run    run from the extracted cache instead of FUSE\n"
           "  --appimage-mount              mount, print the mount point, wait for a signal\n"
           "Environment: APPIMAGE_EXTRACT_AND_RUN=1 acts like --appimage-extract-and-run.\n",
           RUNTIME_VERSION);
}

static int wait_for_signal(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int sig = 0;
    sigwait(&set, &sig);
    return 0; /* exiting closes the keep-alive pipe: the server unmounts */
}

static int run_extracted(struct image *img, const char *reason, char **argv, const char *owd,
                         char **args)
{
    char dir[PATH_MAX + 80];
    if (cache_prepare(img, dir, sizeof dir) != 0)
        return RUNTIME_EXIT_FAILURE;
    if (reason != NULL)
        diag("FUSE unavailable (%s); running from the extracted copy in %s", reason, dir);
    launch_apprun(img, dir, argv[0], owd, args);
    return RUNTIME_EXIT_FAILURE;
}

int main(int argc, char **argv)
{
    diag_set_name(argv[0]);
    char owd_buf[PATH_MAX];
    const char *owd = getcwd(owd_buf, sizeof owd_buf);
    const char *option = argc > 1 && strncmp(argv[1], "--appimage-", 11) == 0 ? argv[1] : "";
    if (strcmp(option, "--appimage-help") == 0)
        return usage(), 0;
    if (strcmp(option, "--appimage-version") == 0)
        return printf("%s\n", RUNTIME_VERSION), 0;

    struct image img;
    if (image_open(&img, "/proc/self/exe") != 0)
        return RUNTIME_EXIT_FAILURE;
    if (strcmp(option, "--appimage-offset") == 0)
        return printf("%llu\n", (unsigned long long)img.offset), 0;
    if (strcmp(option, "--appimage-extract") == 0) {
        if (image_verify(&img) != 0 || extract_tree(&img, "squashfs-root", argv[2]) != 0)
            return RUNTIME_EXIT_FAILURE;
        return 0;
    }

    const char *forced = getenv("APPIMAGE_EXTRACT_AND_RUN");
    int extract_and_run = (forced != NULL && strcmp(forced, "1") == 0) ||
                          strcmp(option, "--appimage-extract-and-run") == 0;
    int mount_only = strcmp(option, "--appimage-mount") == 0;
    if (option[0] != '\0' && !extract_and_run && !mount_only) {
        diag("unknown runtime option %s (see --appimage-help)", option);
        return RUNTIME_EXIT_FAILURE;
    }
    /* The application sees its own arguments only: drop our option. */
    char **args = argv;
    if (option[0] != '\0') {
        args[1] = args[0];
        args++;
    }
    if (extract_and_run && !mount_only)
        return run_extracted(&img, NULL, argv, owd, args);

    char mountpoint[PATH_MAX], why[600];
    if (fuse_serve_image(&img, mountpoint, sizeof mountpoint, why, sizeof why) != 0) {
        if (mount_only)
            return diag("cannot mount: %s", why), RUNTIME_EXIT_FAILURE;
        return run_extracted(&img, why, argv, owd, args);
    }
    image_close(&img);
    if (mount_only) {
        printf("%s\n", mountpoint);
        fflush(stdout);
        return wait_for_signal();
    }
    launch_apprun(&img, mountpoint, argv[0], owd, args);
    return RUNTIME_EXIT_FAILURE;
}
