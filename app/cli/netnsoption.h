// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "netns/networknamespace.h"
#include "util/result.h"

#include <QCommandLineParser>

namespace sockscope::cli {

// --netns NAME|PID|PATH: dump, watch and the window look into that network
// namespace instead of their own; lab and scenario act in it (`acts`).
void addNetnsOption(QCommandLineParser &parser, bool acts = false);
// The namespace given (resolved and entered once, see NetworkNamespace::resolve),
// or none chosen without --netns; an Error naming the problem otherwise.
Result<NetworkNamespace> netnsFromOptions(const QCommandLineParser &parser);

} // namespace sockscope::cli
