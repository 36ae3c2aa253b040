// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/scenariocommand.h"

#include "cli/commandline.h"

namespace sockscope::cli {

int runScenario(const QStringList &)
{
    return usageError(QStringLiteral("scenarios are not built yet"));
}

} // namespace sockscope::cli
