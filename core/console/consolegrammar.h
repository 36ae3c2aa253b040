// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "console/consolecommand.h"

#include <optional>
#include <QString>
#include <QStringList>

namespace sockscope {

// The console's verbs and their forms, in one table: `help`, docs and every
// parse error quote the same text.
std::optional<ConsoleCommand::Verb> consoleVerbFromName(const QString &name);
QString consoleForm(ConsoleCommand::Verb verb);
// One line per command with its form, as `help` prints them.
QStringList consoleGrammar();

} // namespace sockscope
