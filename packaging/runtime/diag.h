// SPDX-License-Identifier: GPL-3.0-or-later
// One-line messages on stderr, prefixed with the AppImage's file name so the
// user knows which program is talking.
#ifndef SOCKSCOPE_DIAG_H
#define SOCKSCOPE_DIAG_H

/* Exit status of the runtime when it cannot start the application at all;
 * 127 is what a shell reports for a program that could not be executed. */
#define RUNTIME_EXIT_FAILURE 127

void diag_set_name(const char *argv0);
void diag(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
