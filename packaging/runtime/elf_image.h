// SPDX-License-Identifier: GPL-3.0-or-later
// Reads the runtime's own ELF headers: where the ELF ends (the appended image
// starts there, as in AppImage type 2) and where a named section lies.
#ifndef SOCKSCOPE_ELF_IMAGE_H
#define SOCKSCOPE_ELF_IMAGE_H

#include <stdint.h>

/* Stores in *end the first byte after the ELF file in fd: the larger of the
 * end of the section header table and the end of every section and program
 * header table. Returns 0, or -1 with errno ENOEXEC when fd does not start
 * with a 64-bit little-endian ELF header, or the pread errno. */
int elf_file_end(int fd, uint64_t *end);

/* Stores the file offset and size of the section called name. Returns 0, or
 * -1 with errno ENOENT when there is no such section, ENOEXEC when the
 * headers are malformed, or the pread errno. */
int elf_find_section(int fd, const char *name, uint64_t *offset, uint64_t *size);

#endif
