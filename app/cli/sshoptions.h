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
// --ssh (unless configAlone: the window's server list reads it) or naming no
// readable file, or --install-agent where this sockscope is not an AppImage.
Result<std::optional<SshTarget>> sshTargetFromOptions(const QCommandLineParser &parser,
                                                      bool configAlone = false);
// --ssh-config FILE, an Error naming it when it is not a readable file.
Result<QString> sshConfigFromOptions(const QCommandLineParser &parser);

// --install-agent: copy this AppImage ($APPIMAGE) to the server's cache folder first.
bool installAgentRequested(const QCommandLineParser &parser);
// Why a server without sockscope could have it, for the first time the ss
// fallback answers ("... run again with --install-agent"); empty when not an AppImage.
QString installHint(const SshTarget &target);

// With installAgent, first copies $APPIMAGE to the server (a failure ends it).
// Then runs the event loop with `source` started until `onBatch` returns false
// (0), the source fails for good, or SIGINT/SIGTERM (1 on failure, printed
// once per distinct message). Connection messages go to stderr as they come.
int runRemote(RemoteSource &source, const std::function<bool(const PollBatch &)> &onBatch,
              bool installAgent = false);

} // namespace sockscope::cli
