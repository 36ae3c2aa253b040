// SPDX-License-Identifier: GPL-3.0-or-later
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *program_name = "appimage";

void diag_set_name(const char *argv0)
{
    const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
    if (argv0 != NULL && argv0[0] != '\0')
        program_name = slash ? slash + 1 : argv0;
}

void diag(const char *format, ...)
{
    char line[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(line, sizeof line, format, args);
    va_end(args);
    /* One write so that lines of two instances never interleave. */
    fprintf(stderr, "%s: %s\n", program_name, line);
}
