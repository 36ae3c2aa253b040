// SPDX-License-Identifier: GPL-3.0-or-later
#include "image.h"

#include "diag.h"
#include "elf_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SQUASHFS_MAGIC 0x73717368u /* "hsqs" little-endian */

static uint64_t le(const uint8_t *p, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = v << 8 | p[i];
    return v;
}

static int read_digest(struct image *img)
{
    uint64_t off = 0, size = 0;
    img->has_digest = 0;
    if (elf_find_section(img->fd, IMAGE_DIGEST_SECTION, &off, &size) != 0 ||
        size < SHA256_DIGEST_SIZE)
        return 0;
    if (pread(img->fd, img->digest, SHA256_DIGEST_SIZE, (off_t)off) != SHA256_DIGEST_SIZE)
        return 0;
    for (int i = 0; i < SHA256_DIGEST_SIZE; ++i)
        img->has_digest |= img->digest[i] != 0;
    if (img->has_digest)
        sha256_hex(img->digest, img->key);
    return 0;
}

int image_open(struct image *img, const char *path)
{
    memset(img, 0, sizeof *img);
    img->fd = -1;
    if (realpath(path, img->path) == NULL) {
        diag("cannot resolve %s: %s", path, strerror(errno));
        return -1;
    }
    img->fd = open(img->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (img->fd < 0 || fstat(img->fd, &st) != 0) {
        diag("cannot open %s: %s", img->path, strerror(errno));
        return -1;
    }
    if (elf_file_end(img->fd, &img->offset) != 0) {
        diag("%s is not an AppImage (bad ELF header: %s)", img->path, strerror(errno));
        return -1;
    }
    uint8_t sb[96];
    ssize_t got = pread(img->fd, sb, sizeof sb, (off_t)img->offset);
    if (got == 0) {
        diag("%s has no image appended (truncated or a bare runtime)", img->path);
        return -1;
    }
    if (got != (ssize_t)sizeof sb || le(sb, 4) != SQUASHFS_MAGIC || le(sb + 28, 2) != 4) {
        diag("%s: no squashfs 4 image at offset %llu: the file is corrupted or truncated",
             img->path, (unsigned long long)img->offset);
        return -1;
    }
    img->size = le(sb + 40, 8);
    uint64_t available = (uint64_t)st.st_size - img->offset;
    if (img->size > available) {
        diag("%s is truncated: the image needs %llu bytes, the file holds %llu", img->path,
             (unsigned long long)img->size, (unsigned long long)available);
        return -1;
    }
    return read_digest(img);
}

int image_key(struct image *img)
{
    if (img->key[0] != '\0')
        return 0;
    uint8_t digest[SHA256_DIGEST_SIZE];
    if (sha256_fd_range(img->fd, img->offset, img->size, digest) != 0) {
        diag("cannot read %s: %s", img->path, strerror(errno));
        return -1;
    }
    sha256_hex(digest, img->key);
    return 0;
}

int image_verify(const struct image *img)
{
    if (!img->has_digest)
        return 0;
    uint8_t digest[SHA256_DIGEST_SIZE];
    if (sha256_fd_range(img->fd, img->offset, img->size, digest) != 0) {
        diag("cannot read %s: %s", img->path, strerror(errno));
        return -1;
    }
    if (memcmp(digest, img->digest, SHA256_DIGEST_SIZE) != 0) {
        diag("%s is corrupted: the image's SHA-256 does not match the one recorded when it "
             "was built; download it again",
             img->path);
        return -1;
    }
    return 0;
}

void image_close(struct image *img)
{
    if (img->fd >= 0)
        close(img->fd);
    img->fd = -1;
}
