// SPDX-License-Identifier: GPL-3.0-or-later
// The one symbol `sockscope` looks up in this module (see app/windowmodule.h).
#include "window/guicommand.h"

extern "C" __attribute__((visibility("default"))) int sockscope_window_main(int argc, char **argv)
{
    return sockscope::cli::runGui(argc, argv);
}
