// SPDX-License-Identifier: GPL-3.0-or-later
// Sections the assembler fills in after linking. The runtime reads them back
// from its own file, never through these symbols (they are zero here).

/* SHA-256 of the appended squashfs image: the extraction cache key, and the
 * check that a download is whole before anything is unpacked. */
__attribute__((section(".image_sha256"), used, retain,
               aligned(1))) static const unsigned char image_sha256[32] = {0};

/* AppImage type 2 update information; empty: this build has no update channel. */
__attribute__((section(".upd_info"), used, retain, aligned(1))) static const char upd_info[1024] = {
    0};
