// SPDX-License-Identifier: GPL-3.0-or-later
#include "cache.h"

#include "diag.h"
#include "extract.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int is_complete(const char *dir)
{
    char apprun[PATH_MAX + 16];
    snprintf(apprun, sizeof apprun, "%s/AppRun", dir);
    struct stat st;
    return lstat(apprun, &st) == 0;
}

/* mkdir -p for the cache root; a shared root below /tmp must be ours alone. */
static int make_root(const char *root, int must_own)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", root);
    for (char *p = path + 1;; ++p) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = saved;
        if (saved == '\0')
            break;
    }
    struct stat st;
    if (lstat(root, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode) || (must_own && (st.st_uid != getuid() || (st.st_mode & 077)))) {
        errno = EPERM;
        return -1;
    }
    return 0;
}

/* 0: out is ready; -1: this root is unusable (reason in why); -2: fatal. */
static int prepare_in(struct image *img, const char *root, int must_own, int *verified, char *out,
                      size_t outlen, char *why, size_t whylen)
{
    snprintf(out, outlen, "%s/%s", root, img->key);
    if (is_complete(out))
        return 0;
    char lock[PATH_MAX + 8], partial[PATH_MAX + 16];
    snprintf(lock, sizeof lock, "%s.lock", out);
    snprintf(partial, sizeof partial, "%s.partial", out);
    int fd = -1;
    if (make_root(root, must_own) != 0 ||
        (fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0) {
        snprintf(why, whylen, "%s: %s", root, strerror(errno));
        return -1;
    }
    int rc = 0;
    while (flock(fd, LOCK_EX) != 0 && errno == EINTR) {
    }
    if (!is_complete(out)) {
        if (!*verified && image_verify(img) != 0) {
            close(fd);
            return -2;
        }
        *verified = 1;
        remove_tree(partial);
        if (extract_tree(img, partial, NULL) != 0 || rename(partial, out) != 0) {
            snprintf(why, whylen, "%s: %s", root, strerror(errno));
            remove_tree(partial);
            rc = -1;
        } else {
            /* Later callers find the copy before they look for a lock; one
             * already waiting holds the old inode and finds it too. */
            unlink(lock);
        }
    }
    close(fd);
    return rc;
}

int cache_prepare(struct image *img, char *out, size_t outlen)
{
    if (image_key(img) != 0)
        return -1;
    char roots[2][PATH_MAX];
    int must_own[2] = {0, 0};
    int count = 0;
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (xdg != NULL && xdg[0] == '/')
        snprintf(roots[count++], PATH_MAX, "%s/appimage", xdg);
    else if (home != NULL && home[0] == '/')
        snprintf(roots[count++], PATH_MAX, "%s/.cache/appimage", home);
    const char *tmp = getenv("TMPDIR");
    must_own[count] = 1; /* shared with other users: refuse a directory someone else made */
    snprintf(roots[count++], PATH_MAX, "%s/appimage-%u", tmp && tmp[0] == '/' ? tmp : "/tmp",
             (unsigned)getuid());
    char why[2][PATH_MAX + 64] = {"", ""};
    int verified = 0;
    for (int i = 0; i < count; ++i) {
        int rc =
            prepare_in(img, roots[i], must_own[i], &verified, out, outlen, why[i], sizeof why[i]);
        if (rc == 0)
            return 0;
        if (rc == -2)
            return -1;
    }
    diag("cannot extract the image: %s%s%s; set XDG_CACHE_HOME or TMPDIR to a writable "
         "directory",
         why[0], count == 2 ? "; " : "", count == 2 ? why[1] : "");
    return -1;
}
