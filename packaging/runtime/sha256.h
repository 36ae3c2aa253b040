// SPDX-License-Identifier: GPL-3.0-or-later
// SHA-256 (FIPS 180-4), shared by the runtime (cache key, integrity check) and
// the assembler (which records the digest of the image it appends).
#ifndef SOCKSCOPE_SHA256_H
#define SOCKSCOPE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32

typedef struct
{
    uint32_t state[8];
    uint64_t length; /* bytes hashed so far */
    uint8_t block[64];
    size_t used; /* bytes waiting in block */
} sha256_ctx;

void sha256_init(sha256_ctx *ctx);
void sha256_update(sha256_ctx *ctx, const void *data, size_t size);
void sha256_final(sha256_ctx *ctx, uint8_t digest[SHA256_DIGEST_SIZE]);

/* Hashes size bytes of fd starting at offset. Returns 0, or -1 with errno set
 * (EIO when the file ends before offset + size). */
int sha256_fd_range(int fd, uint64_t offset, uint64_t size, uint8_t digest[SHA256_DIGEST_SIZE]);

/* Writes 2 * SHA256_DIGEST_SIZE hex characters and a NUL to out. */
void sha256_hex(const uint8_t digest[SHA256_DIGEST_SIZE], char out[2 * SHA256_DIGEST_SIZE + 1]);

#endif
