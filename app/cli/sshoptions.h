// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/sshtarget.h"
#include "util/result.h"

#include <functional>
#include <optional>
#include <QCommandLineParser>

namespace sockscope {
struct PollBatch;
class RemoteSource;
} // namespace sockscope

namespace sockscope::cli {

// --ssh [user@]host[:port] and --ssh-config FILE (dump, watch and the window).
void addSshOptions(QCommandLineParser &parser);
// nullopt without --ssh; an Error for a bad target, or --ssh-config without
// --ssh or naming no readable file.
Result<std::optional<SshTarget>> sshTargetFromOptions(const QCommandLineParser &parser);

// Runs the event loop with `source` started until `onBatch` returns false
// (0), the source fails for good, or SIGINT/SIGTERM (1 on failure, printed
// once per distinct message). Connection messages go to stderr as they come.
int runRemote(RemoteSource &source, const std::function<bool(const PollBatch &)> &onBatch);

} // namespace sockscope::cli
