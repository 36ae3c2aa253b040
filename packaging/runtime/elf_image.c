// SPDX-License-Identifier: GPL-3.0-or-later
#include "elf_image.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int read_exact(int fd, void *buf, size_t size, uint64_t offset)
{
    size_t done = 0;
    while (done < size) {
        ssize_t got = pread(fd, (char *)buf + done, size - done, (off_t)(offset + done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0) {
            errno = ENOEXEC; /* a header that points past the end of the file */
            return -1;
        }
        done += (size_t)got;
    }
    return 0;
}

static int read_header(int fd, Elf64_Ehdr *eh)
{
    if (read_exact(fd, eh, sizeof *eh, 0) != 0)
        return -1;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_ident[EI_DATA] != ELFDATA2LSB ||
        (eh->e_shnum > 0 && eh->e_shentsize != sizeof(Elf64_Shdr))) {
        errno = ENOEXEC;
        return -1;
    }
    return 0;
}

/* Returns a malloc'ed copy of the section header table, or NULL with errno. */
static Elf64_Shdr *read_sections(int fd, const Elf64_Ehdr *eh)
{
    Elf64_Shdr *sh = calloc(eh->e_shnum ? eh->e_shnum : 1, sizeof *sh);
    if (sh == NULL)
        return NULL;
    if (read_exact(fd, sh, (size_t)eh->e_shnum * sizeof *sh, eh->e_shoff) != 0) {
        free(sh);
        return NULL;
    }
    return sh;
}

int elf_file_end(int fd, uint64_t *end)
{
    Elf64_Ehdr eh;
    if (read_header(fd, &eh) != 0)
        return -1;
    uint64_t last = eh.e_shoff + (uint64_t)eh.e_shnum * eh.e_shentsize;
    uint64_t phdrs = eh.e_phoff + (uint64_t)eh.e_phnum * eh.e_phentsize;
    if (phdrs > last)
        last = phdrs;
    Elf64_Shdr *sh = read_sections(fd, &eh);
    if (sh == NULL)
        return -1;
    for (unsigned i = 0; i < eh.e_shnum; ++i) {
        if (sh[i].sh_type != SHT_NOBITS && sh[i].sh_offset + sh[i].sh_size > last)
            last = sh[i].sh_offset + sh[i].sh_size;
    }
    free(sh);
    *end = last;
    return 0;
}

int elf_find_section(int fd, const char *name, uint64_t *offset, uint64_t *size)
{
    Elf64_Ehdr eh;
    if (read_header(fd, &eh) != 0)
        return -1;
    if (eh.e_shstrndx == SHN_UNDEF || eh.e_shstrndx >= eh.e_shnum) {
        errno = ENOENT;
        return -1;
    }
    Elf64_Shdr *sh = read_sections(fd, &eh);
    if (sh == NULL)
        return -1;
    const Elf64_Shdr *strtab = &sh[eh.e_shstrndx];
    size_t want = strlen(name) + 1;
    char *candidate = malloc(want);
    int result = -1;
    errno = ENOENT;
    for (unsigned i = 0; candidate != NULL && i < eh.e_shnum; ++i) {
        if (sh[i].sh_name + want > strtab->sh_size)
            continue;
        if (read_exact(fd, candidate, want, strtab->sh_offset + sh[i].sh_name) != 0)
            break;
        if (memcmp(candidate, name, want) == 0) {
            *offset = sh[i].sh_offset;
            *size = sh[i].sh_size;
            result = 0;
            break;
        }
    }
    free(candidate);
    free(sh);
    return result;
}
