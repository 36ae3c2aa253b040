// SPDX-License-Identifier: GPL-3.0-or-later
#include "extract.h"

#include "diag.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <squashfuse/squashfuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Creates dir and its missing parents, like mkdir -p. */
static int make_dirs(char *path, mode_t mode)
{
    for (char *p = path + 1; *p != '\0'; ++p) {
        if (*p != '/')
            continue;
        *p = '\0';
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return -1;
    }
    if (mkdir(path, mode) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static int parent_dirs(const char *path)
{
    char copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", path);
    char *slash = strrchr(copy, '/');
    if (slash == NULL || slash == copy)
        return 0;
    *slash = '\0';
    return make_dirs(copy, 0755);
}

static int write_file(sqfs *fs, sqfs_inode *inode, const char *path, mode_t mode)
{
    static char buffer[1 << 17];
    if (unlink(path) != 0 && errno != ENOENT)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode | S_IWUSR);
    if (fd < 0)
        return -1;
    uint64_t total = inode->xtra.reg.file_size;
    for (uint64_t pos = 0; pos < total;) {
        sqfs_off_t chunk = (sqfs_off_t)(total - pos < sizeof buffer ? total - pos : sizeof buffer);
        if (sqfs_read_range(fs, inode, (sqfs_off_t)pos, &chunk, buffer) != SQFS_OK || chunk <= 0) {
            close(fd);
            errno = EIO;
            return -1;
        }
        for (sqfs_off_t done = 0; done < chunk;) {
            ssize_t put = write(fd, buffer + done, (size_t)(chunk - done));
            if (put < 0 && errno == EINTR)
                continue;
            if (put < 0) {
                int saved = errno;
                close(fd);
                errno = saved;
                return -1;
            }
            done += put;
        }
        pos += (uint64_t)chunk;
    }
    if (fchmod(fd, mode) != 0 || close(fd) != 0)
        return -1;
    return 0;
}

static int write_symlink(sqfs *fs, sqfs_inode *inode, const char *path)
{
    size_t size = 0;
    if (sqfs_readlink(fs, inode, NULL, &size) != SQFS_OK)
        return errno = EIO, -1;
    char *target = malloc(size + 1);
    if (target == NULL)
        return -1;
    size += 1;
    int rc = -1;
    if (sqfs_readlink(fs, inode, target, &size) != SQFS_OK)
        errno = EIO;
    else if ((unlink(path) == 0 || errno == ENOENT) && symlink(target, path) == 0)
        rc = 0;
    free(target);
    return rc;
}

/* A corrupted image could name an entry "..": refuse to leave dest. */
static int safe_name(sqfs_dir_entry *entry)
{
    const char *name = sqfs_dentry_name(entry);
    return name != NULL && name[0] != '\0' && strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
           strchr(name, '/') == NULL;
}

static int extract_entry(sqfs *fs, sqfs_traverse *trv, const char *dest, const char *pattern)
{
    char path[PATH_MAX];
    if (!safe_name(&trv->entry))
        return diag("refusing unsafe name in image: %s", trv->path), -1;
    if (snprintf(path, sizeof path, "%s/%s", dest, trv->path) >= (int)sizeof path)
        return diag("path too long: %s/%s", dest, trv->path), -1;
    sqfs_inode inode;
    if (sqfs_inode_get(fs, &inode, sqfs_dentry_inode(&trv->entry)) != SQFS_OK)
        return diag("image is corrupted: cannot read the inode of %s", trv->path), -1;
    mode_t type = sqfs_mode(inode.base.inode_type) & S_IFMT;
    mode_t perms = inode.base.mode & 0777;
    if (pattern != NULL && fnmatch(pattern, trv->path, 0) != 0)
        return 0;
    int rc = 0;
    if (pattern != NULL && parent_dirs(path) != 0)
        rc = -1;
    else if (S_ISDIR(type))
        rc = make_dirs(path, perms | S_IRWXU);
    else if (S_ISREG(type))
        rc = write_file(fs, &inode, path, perms);
    else if (S_ISLNK(type))
        rc = write_symlink(fs, &inode, path);
    if (rc != 0)
        diag("cannot extract %s: %s", path, strerror(errno));
    return rc;
}

int extract_tree(const struct image *img, const char *dest, const char *pattern)
{
    char root[PATH_MAX];
    snprintf(root, sizeof root, "%s", dest);
    if (make_dirs(root, 0755) != 0) {
        diag("cannot create %s: %s", dest, strerror(errno));
        return -1;
    }
    sqfs fs;
    if (sqfs_init(&fs, img->fd, (size_t)img->offset) != SQFS_OK) {
        diag("%s: the squashfs image cannot be read (corrupted or unsupported compression)",
             img->path);
        return -1;
    }
    sqfs_traverse trv;
    memset(&trv, 0, sizeof trv);
    sqfs_err err = sqfs_traverse_open(&trv, &fs, sqfs_inode_root(&fs));
    int rc = err == SQFS_OK ? 0 : -1;
    while (rc == 0 && sqfs_traverse_next(&trv, &err)) {
        if (!trv.dir_end)
            rc = extract_entry(&fs, &trv, dest, pattern);
    }
    if (rc == 0 && err != SQFS_OK) {
        diag("%s: the image's directory tree is corrupted", img->path);
        rc = -1;
    }
    sqfs_traverse_close(&trv);
    sqfs_destroy(&fs);
    return rc;
}
