// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "console/consolecommand.h"
#include "util/result.h"

#include <optional>
#include <QString>
#include <QStringList>

namespace sockscope {

// Parses one console line. Returns nullopt for a blank line or a comment
// (a line, or the rest of a line, starting with '#'). Fails with EINVAL and a
// message naming what was wrong and the right form of the command.
Result<std::optional<ConsoleCommand>> parseConsoleLine(const QString &line);

} // namespace sockscope
