// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/labcommand.h"

#include "cli/commandline.h"

namespace sockscope::cli {

int runLab(const QStringList &)
{
    return usageError(QStringLiteral("the lab console is not built yet"));
}

} // namespace sockscope::cli
