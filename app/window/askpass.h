// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace sockscope::cli {

// The environment variable that makes this executable ssh's askpass program
// (SSH_ASKPASS runs it with the prompt as its only argument).
inline constexpr char kAskpassVariable[] = "SOCKSCOPE_ASKPASS";

// Shows ssh's prompt (a password, a passphrase, a host key question) in a
// dialog and prints the answer on stdout: 0, or 1 when cancelled.
int runAskpass(int argc, char **argv);

} // namespace sockscope::cli
