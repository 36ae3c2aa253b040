// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/sshtarget.h"

#include "util/quotedvalue.h"

#include <cerrno>
#include <QRegularExpression>

namespace sockscope {

QString SshTarget::displayName() const
{
    return user.isEmpty() ? host : user + QLatin1Char('@') + host;
}

QString SshTarget::sourceKey() const
{
    QString key = QStringLiteral("ssh:") + displayName();
    if (port > 0)
        key += QLatin1Char(':') + QString::number(port);
    return key;
}

QString SshTarget::spec() const
{
    const QString where = host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(host) : host;
    QString text = user.isEmpty() ? where : user + QLatin1Char('@') + where;
    if (port > 0)
        text += QLatin1Char(':') + QString::number(port);
    return text;
}

Result<SshTarget> parseSshTarget(const QString &text)
{
    static const QRegularExpression form(
        QStringLiteral("^(?:([^@\\s:/]+)@)?(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9._-]+)(?::([0-9]+))?$"));
    const QRegularExpressionMatch match = form.match(text.trimmed());
    if (!match.hasMatch() || match.captured(2).startsWith(QLatin1Char('-')))
        return Error{EINVAL, QStringLiteral("invalid --ssh %1: expected [user@]host[:port], "
                                            "e.g. root@server.example:2222")
                                 .arg(quotedValue(text))};
    SshTarget target;
    target.user = match.captured(1);
    target.host = match.captured(2);
    if (target.host.startsWith(QLatin1Char('[')))
        target.host = target.host.mid(1, target.host.size() - 2);
    if (!match.captured(3).isEmpty()) {
        bool ok = false;
        target.port = match.captured(3).toInt(&ok);
        if (!ok || target.port < 1 || target.port > 65535)
            return Error{EINVAL, QStringLiteral("invalid --ssh port %1: expected 1 to 65535")
                                     .arg(quotedValue(match.captured(3)))};
    }
    return target;
}

QString remoteAgentPath(const QString &version)
{
    return QStringLiteral(".cache/sockscope/%1/sockscope").arg(version);
}

int ssIntervalMs(int intervalMs)
{
    return qMax(1, (intervalMs + 999) / 1000) * 1000;
}

QString remoteCommand(const QString &version, int intervalMs, bool tracing, bool forceSs, bool lab)
{
    // POSIX sh, for whatever login shell the server has: `sh -c` keeps it one dialect.
    const QString seconds = QString::number(ssIntervalMs(intervalMs) / 1000);
    // An AppImage copied there runs extracted: servers rarely have FUSE.
    QString agent = QStringLiteral("APPIMAGE_EXTRACT_AND_RUN=1 exec \"$s\" agent --interval %1%2%3")
                        .arg(intervalMs)
                        .arg(tracing ? QString() : QStringLiteral(" --no-trace"))
                        .arg(lab ? QStringLiteral(" --lab") : QString());
    QString script = QStringLiteral("s=$(command -v sockscope || echo \"$HOME/%1\"); ")
                         .arg(remoteAgentPath(version));
    // The probe asks for what the agent will be asked: an older sockscope
    // without --lab falls back to ss rather than failing at every connection.
    if (!forceSs)
        script += QStringLiteral("if APPIMAGE_EXTRACT_AND_RUN=1 \"$s\" agent%1 --help >/dev/null "
                                 "2>&1; then %2; fi; ")
                      .arg(lab ? QStringLiteral(" --lab") : QString(), agent);
    script += QStringLiteral("read a b </proc/sys/net/ipv4/ip_local_port_range; echo %1 1 $a; "
                             "while :; do ss -tanoeiHp || exit 1; echo %2; sleep %3; done")
                  .arg(QLatin1String(kSsFallbackMarker), QLatin1String(kSsRunEnd), seconds);
    return QStringLiteral("sh -c '%1'").arg(script);
}

QStringList sshArguments(const SshTarget &target, const QString &command)
{
    QStringList arguments{QStringLiteral("-T"), QStringLiteral("-o"),
                          QStringLiteral("ServerAliveInterval=5"), QStringLiteral("-o"),
                          QStringLiteral("ServerAliveCountMax=3")};
    if (!target.configFile.isEmpty())
        arguments << QStringLiteral("-F") << target.configFile;
    if (target.port > 0)
        arguments << QStringLiteral("-p") << QString::number(target.port);
    if (!target.user.isEmpty())
        arguments << QStringLiteral("-l") << target.user;
    arguments << QStringLiteral("--") << target.host << command;
    return arguments;
}

namespace {
// ssh's last meaningful line: warnings about known_hosts additions and
// banners come before the failure.
QString lastLine(const QByteArray &stderrText, const char *containing = nullptr)
{
    const QList<QByteArray> lines = stderrText.split('\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        const QByteArray line = it->trimmed();
        if (!line.isEmpty() && (!containing || line.contains(containing)))
            return shortenedText(QString::fromUtf8(line), 200);
    }
    return {};
}
} // namespace

QString sshFailureMessage(const SshTarget &target, const QByteArray &stderrText, int exitCode)
{
    const QString where = target.port > 0
                              ? QStringLiteral("%1 port %2").arg(target.host).arg(target.port)
                              : target.host;
    const QString name = target.displayName();
    if (stderrText.contains("Connection refused"))
        return QStringLiteral("cannot connect to %1: connection refused (no ssh server listens "
                              "there: check the host and port)")
            .arg(where);
    if (stderrText.contains("Could not resolve hostname"))
        return QStringLiteral("cannot connect to %1: the name does not resolve (check the host "
                              "name)")
            .arg(where);
    if (stderrText.contains("No route to host") || stderrText.contains("Network is unreachable") ||
        stderrText.contains("timed out"))
        return QStringLiteral("cannot reach %1: %2 (check the address and the network)")
            .arg(where, lastLine(stderrText));
    if (stderrText.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") ||
        stderrText.contains("Host key verification failed") ||
        stderrText.contains("No matching host key") || stderrText.contains("host key for"))
        return QStringLiteral("the host key of %1 does not match the known one (ssh: \"%2\"): if "
                              "the server was reinstalled, remove the old key with ssh-keygen "
                              "-R %3 and connect once with ssh to accept the new one")
            .arg(where, lastLine(stderrText, "key"), target.host);
    if (stderrText.contains("Permission denied"))
        return QStringLiteral("authentication as %1 failed (ssh: \"%2\"): load your key into "
                              "ssh-agent, or check the user and the server's authorized_keys")
            .arg(name, lastLine(stderrText, "Permission denied"));
    const QString said = lastLine(stderrText);
    if (exitCode == 255)
        return QStringLiteral("ssh to %1 failed: %2")
            .arg(where, said.isEmpty() ? QStringLiteral("no reason given") : said);
    return QStringLiteral("the session on %1 ended (status %2)%3")
        .arg(where)
        .arg(exitCode)
        .arg(said.isEmpty() ? QString() : QStringLiteral(": ") + said);
}

} // namespace sockscope
