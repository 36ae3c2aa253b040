// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/result.h"

#include <QString>
#include <QStringList>

namespace sockscope {

// Where `--ssh [user@]host[:port]` points, and how ssh is asked to get there.
struct SshTarget
{
    QString user; // empty: ssh's (the config's User, or the local user)
    QString host;
    int port = 0;       // 0: ssh's (the config's Port, or 22)
    QString configFile; // --ssh-config: passed as -F
    // "user@host", "host": how the window title and messages name it.
    QString displayName() const;
    // "ssh:user@host:port": the key of this source among the window's sources.
    QString sourceKey() const;
    // "[user@]host[:port]" as parseSshTarget() reads it back (an IPv6
    // address in brackets): how a list of recent servers keeps it.
    QString spec() const;
};

// "[user@]host[:port]", "[user@][v6addr]:port". An Error names the bad part.
Result<SshTarget> parseSshTarget(const QString &text);

// Where a server without sockscope gets this one (AgentInstall), relative to
// the home folder: .cache/sockscope/VERSION/sockscope.
QString remoteAgentPath(const QString &version);

// The ss fallback's loop runs `sleep` in whole seconds: at least 1 s.
int ssIntervalMs(int intervalMs);

// What the remote shell runs: the agent from the remote PATH or the cache
// folder (~/.cache/sockscope/VERSION/sockscope) when it starts there, else a
// marker line and a loop of `ss` every intervalMs (the fallback, see
// core/remote/ssfallback.h). `forceSs` skips the agent (tests, old servers).
QString remoteCommand(const QString &version, int intervalMs, bool tracing, bool forceSs = false,
                      bool lab = false);

// The whole argument list for the OpenSSH client: -T, keep-alives, -F, -p,
// the destination, then the remote command.
QStringList sshArguments(const SshTarget &target, const QString &command);

// ssh's own failure as one sentence naming the fix: connection refused,
// unreachable, authentication failed, host key changed or unknown. stderrText
// is what ssh wrote; exitCode 255 is ssh's own failure.
QString sshFailureMessage(const SshTarget &target, const QByteArray &stderrText, int exitCode);

// The first line of the agent's stream that says the server runs the ss
// fallback: "@@sockscope-ss 1 EPHEMERAL_START".
inline constexpr char kSsFallbackMarker[] = "@@sockscope-ss";
// The line that ends one ss run.
inline constexpr char kSsRunEnd[] = "@@end";

} // namespace sockscope
