// SPDX-License-Identifier: GPL-3.0-or-later
// appimage-assemble RUNTIME IMAGE OUTPUT
// Writes OUTPUT = RUNTIME + IMAGE as an AppImage type 2 file: the magic
// "AI\x02" at offset 8 of the ELF header, and the image's SHA-256 in the
// runtime's .image_sha256 section.
#include "elf_image.h"
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *what, const char *path)
{
    fprintf(stderr, "appimage-assemble: %s %s: %s\n", what, path, strerror(errno));
    return 1;
}

static int write_all(int fd, const void *data, size_t size)
{
    for (size_t done = 0; done < size;) {
        ssize_t put = write(fd, (const char *)data + done, size - done);
        if (put < 0 && errno == EINTR)
            continue;
        if (put < 0)
            return -1;
        done += (size_t)put;
    }
    return 0;
}

/* Reads the whole file into a malloc'ed buffer. */
static unsigned char *slurp(const char *path, size_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0)
        return NULL;
    unsigned char *data = malloc((size_t)st.st_size + 1);
    ssize_t got = data ? read(fd, data, (size_t)st.st_size) : -1;
    close(fd);
    if (got != st.st_size) {
        free(data);
        errno = errno ? errno : EIO;
        return NULL;
    }
    *size = (size_t)st.st_size;
    return data;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: appimage-assemble RUNTIME IMAGE OUTPUT\n");
        return 2;
    }
    int rfd = open(argv[1], O_RDONLY | O_CLOEXEC);
    uint64_t end = 0, digest_off = 0, digest_size = 0;
    if (rfd < 0)
        return fail("cannot open", argv[1]);
    if (elf_file_end(rfd, &end) != 0 ||
        elf_find_section(rfd, ".image_sha256", &digest_off, &digest_size) != 0)
        return fail("not a runtime with an .image_sha256 section:", argv[1]);
    close(rfd);
    size_t runtime_size = 0, image_size = 0;
    unsigned char *runtime = slurp(argv[1], &runtime_size);
    unsigned char *image = runtime ? slurp(argv[2], &image_size) : NULL;
    if (runtime == NULL || image == NULL)
        return fail("cannot read", runtime ? argv[2] : argv[1]);
    if (end != runtime_size || digest_size != SHA256_DIGEST_SIZE) {
        fprintf(stderr, "appimage-assemble: %s: ELF ends at %llu but the file has %zu bytes\n",
                argv[1], (unsigned long long)end, runtime_size);
        return 1;
    }
    /* The runtime hashes bytes_used, not mksquashfs' padding after it. */
    uint64_t used = 0;
    for (int i = 7; image_size >= 96 && i >= 0; --i)
        used = used << 8 | image[40 + i];
    if (image_size < 96 || memcmp(image, "hsqs", 4) != 0 || used > image_size) {
        fprintf(stderr, "appimage-assemble: %s is not a squashfs image\n", argv[2]);
        return 1;
    }
    sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, image, (size_t)used);
    sha256_final(&ctx, runtime + digest_off);
    memcpy(runtime + 8, "AI\x02", 3);

    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[3]);
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if (out < 0 || write_all(out, runtime, runtime_size) != 0 ||
        write_all(out, image, image_size) != 0 || fchmod(out, 0755) != 0 || close(out) != 0)
        return fail("cannot write", tmp);
    if (rename(tmp, argv[3]) != 0)
        return fail("cannot rename to", argv[3]);
    return 0;
}
