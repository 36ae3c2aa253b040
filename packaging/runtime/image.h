// SPDX-License-Identifier: GPL-3.0-or-later
// The squashfs image appended to the runtime: where it is, whether it is
// whole, and its SHA-256 (recorded by the assembler in section .image_sha256).
#ifndef SOCKSCOPE_IMAGE_H
#define SOCKSCOPE_IMAGE_H

#include "sha256.h"

#include <limits.h>
#include <stdint.h>

#define IMAGE_DIGEST_SECTION ".image_sha256"

struct image
{
    int fd;
    char path[PATH_MAX]; /* absolute path of the AppImage file */
    uint64_t offset;     /* first byte of the squashfs superblock */
    uint64_t size;       /* squashfs bytes_used */
    int has_digest;      /* 0 when the section is absent or all zero */
    uint8_t digest[SHA256_DIGEST_SIZE];
    char key[2 * SHA256_DIGEST_SIZE + 1]; /* hex digest; cache directory name */
};

/* Opens path, finds the image after the ELF and checks that its superblock is
 * a squashfs 4 superblock and that the file holds all of bytes_used. Returns
 * 0, or -1 after printing why (not an AppImage, no image, truncated). */
int image_open(struct image *img, const char *path);

/* Fills img->key: the recorded digest, or one computed now when none was
 * recorded. Returns 0, or -1 after printing the read error. */
int image_key(struct image *img);

/* Hashes the image and compares with the recorded digest. Returns 0 when they
 * match or nothing was recorded, or -1 after printing that the image is
 * corrupted or unreadable. */
int image_verify(const struct image *img);

void image_close(struct image *img);

#endif
