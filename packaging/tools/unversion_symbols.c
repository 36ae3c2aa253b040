// SPDX-License-Identifier: GPL-3.0-or-later
// unversion-symbols LIBRARY SYMBOL...: makes a bundled library's references to
// the named glibc functions unversioned, and drops the version needs that only
// they used, so the loader no longer insists on the glibc that introduced
// them. The library then binds to the host's glibc when it has the function
// and otherwise to the bundled compat library (glibccompat/), which the build
// adds as a dependency. Prints each symbol it changed, one a line.
//
// Why not patchelf --clear-symbol-version: it leaves the version need (for
// example GLIBC_2.36 from libc.so.6) in .gnu.version_r, and the loader refuses
// a library whose needed version the host's libc lacks, used or not.
#define _GNU_SOURCE
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *image;
static size_t image_size;

static int fail(const char *path, const char *why)
{
    fprintf(stderr, "unversion-symbols: %s: %s\n", path, why);
    return 2;
}

static int in_bounds(Elf64_Off offset, Elf64_Xword size)
{
    return offset <= image_size && size <= image_size - offset;
}

static Elf64_Shdr *section_of_type(Elf64_Word type)
{
    Elf64_Ehdr *ehdr = (Elf64_Ehdr *)image;
    for (int i = 0; i < ehdr->e_shnum; ++i) {
        Elf64_Shdr *shdr = (Elf64_Shdr *)(image + ehdr->e_shoff) + i;
        if (shdr->sh_type == type && in_bounds(shdr->sh_offset, shdr->sh_size))
            return shdr;
    }
    return NULL;
}

static int listed(const char *name, char **symbols, int count)
{
    for (int i = 0; i < count; ++i)
        if (strcmp(name, symbols[i]) == 0)
            return 1;
    return 0;
}

// Unlinks every version need whose index is in cleared[] and no longer used.
static int drop_needs(Elf64_Shdr *verneed, const Elf64_Half *versym, size_t count,
                      const unsigned char *cleared)
{
    unsigned char used[0x8000] = {0};
    for (size_t i = 0; i < count; ++i)
        used[versym[i] & 0x7fff] = 1;
    unsigned char *need = image + verneed->sh_offset;
    for (;;) {
        Elf64_Verneed *vn = (Elf64_Verneed *)need;
        Elf64_Vernaux *previous = NULL;
        unsigned char *aux = need + vn->vn_aux;
        for (int left = vn->vn_cnt; left > 0; --left) {
            Elf64_Vernaux *va = (Elf64_Vernaux *)aux;
            unsigned char *next = va->vna_next ? aux + va->vna_next : NULL;
            Elf64_Half index = va->vna_other & 0x7fff;
            if (cleared[index] && !used[index]) {
                if (vn->vn_cnt == 1)
                    return -1; // the file's only need: keep the file as it is
                if (previous == NULL)
                    vn->vn_aux += va->vna_next;
                else
                    previous->vna_next = next ? (Elf64_Word)(next - (unsigned char *)previous) : 0;
                vn->vn_cnt--;
            } else {
                previous = va;
            }
            if (next == NULL)
                break;
            aux = next;
        }
        if (vn->vn_next == 0)
            return 0;
        need += vn->vn_next;
    }
}

// Marks the version indices that libc.so.6 provides: another library's
// function of the same name (libbsd's arc4random_buf) keeps its version.
static void mark_glibc_indices(Elf64_Shdr *verneed, const char *names, Elf64_Xword names_size,
                               unsigned char *glibc)
{
    unsigned char *need = image + verneed->sh_offset;
    for (;;) {
        Elf64_Verneed *vn = (Elf64_Verneed *)need;
        if (vn->vn_file < names_size && strcmp(names + vn->vn_file, "libc.so.6") == 0) {
            unsigned char *aux = need + vn->vn_aux;
            for (int left = vn->vn_cnt; left > 0; --left) {
                Elf64_Vernaux *va = (Elf64_Vernaux *)aux;
                glibc[va->vna_other & 0x7fff] = 1;
                if (va->vna_next == 0)
                    break;
                aux += va->vna_next;
            }
        }
        if (vn->vn_next == 0)
            return;
        need += vn->vn_next;
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: unversion-symbols LIBRARY SYMBOL...\n");
        return 2;
    }
    const char *path = argv[1];
    FILE *file = fopen(path, "r+b");
    if (file == NULL)
        return fail(path, "cannot open");
    fseek(file, 0, SEEK_END);
    image_size = (size_t)ftell(file);
    rewind(file);
    image = malloc(image_size);
    if (image == NULL || fread(image, 1, image_size, file) != image_size)
        return fail(path, "cannot read");
    Elf64_Ehdr *ehdr = (Elf64_Ehdr *)image;
    if (image_size < sizeof *ehdr || memcmp(ehdr->e_ident, ELFMAG, SELFMAG) != 0 ||
        ehdr->e_ident[EI_CLASS] != ELFCLASS64 || ehdr->e_ident[EI_DATA] != ELFDATA2LSB ||
        !in_bounds(ehdr->e_shoff, (Elf64_Xword)ehdr->e_shnum * sizeof(Elf64_Shdr)))
        return fail(path, "not a 64-bit little-endian ELF file with section headers");
    Elf64_Shdr *dynsym = section_of_type(SHT_DYNSYM);
    Elf64_Shdr *versym = section_of_type(SHT_GNU_versym);
    Elf64_Shdr *verneed = section_of_type(SHT_GNU_verneed);
    if (dynsym == NULL || versym == NULL || verneed == NULL)
        return 0; // nothing versioned
    Elf64_Shdr *dynstr = (Elf64_Shdr *)(image + ehdr->e_shoff) + dynsym->sh_link;
    if (dynsym->sh_link >= ehdr->e_shnum || !in_bounds(dynstr->sh_offset, dynstr->sh_size))
        return fail(path, "bad .dynstr");
    size_t count = dynsym->sh_size / sizeof(Elf64_Sym);
    if (versym->sh_size < count * sizeof(Elf64_Half))
        return fail(path, "bad .gnu.version");
    Elf64_Sym *symbols = (Elf64_Sym *)(image + dynsym->sh_offset);
    Elf64_Half *versions = (Elf64_Half *)(image + versym->sh_offset);
    const char *names = (const char *)(image + dynstr->sh_offset);

    unsigned char glibc[0x8000] = {0};
    mark_glibc_indices(verneed, names, dynstr->sh_size, glibc);
    unsigned char cleared[0x8000] = {0};
    int changed = 0;
    for (size_t i = 0; i < count; ++i) {
        if (symbols[i].st_shndx != SHN_UNDEF || symbols[i].st_name >= dynstr->sh_size ||
            !glibc[versions[i] & 0x7fff] || !listed(names + symbols[i].st_name, argv + 2, argc - 2))
            continue;
        cleared[versions[i] & 0x7fff] = 1;
        versions[i] = 1; // VER_NDX_GLOBAL: any version the host's loader finds
        printf("%s\n", names + symbols[i].st_name);
        changed = 1;
    }
    if (!changed)
        return 0;
    if (drop_needs(verneed, versions, count, cleared) != 0)
        return fail(path, "would leave a needed library without versions");
    rewind(file);
    if (fwrite(image, 1, image_size, file) != image_size || fclose(file) != 0)
        return fail(path, "cannot write");
    return 0;
}
