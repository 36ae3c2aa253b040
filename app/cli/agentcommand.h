// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace sockscope::cli {

// `sockscope agent [--interval MS] [--no-trace] [--port N]`: what a remote
// window talks to over ssh. Writes the agent protocol (core/format/batchjson.h)
// on stdout, one flushed line per batch, until stdin closes or stdout breaks:
// a dropped ssh connection ends it either way.
int runAgent(const QStringList &arguments);

} // namespace sockscope::cli
