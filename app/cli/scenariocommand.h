// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace sockscope::cli {

// `sockscope scenario S1..S6 [--json]`: runs one pitfall and prints its transcript.
int runScenario(const QStringList &arguments);

} // namespace sockscope::cli
