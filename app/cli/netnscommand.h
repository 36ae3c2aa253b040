// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace sockscope::cli {

// `sockscope netns [--json]`: every network namespace on the machine, named
// by what a user recognises, with what --netns takes to reach each.
int runNetns(const QStringList &arguments);

} // namespace sockscope::cli
