// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace sockscope::cli {

// `sockscope lab`: the lab console on standard input; one answer line per command.
int runLab(const QStringList &arguments);

} // namespace sockscope::cli
