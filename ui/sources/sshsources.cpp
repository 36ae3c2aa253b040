// SPDX-License-Identifier: GPL-3.0-or-later
#include "sources/sshsources.h"

#include "sources/addserverdialog.h"
#include "util/threadhandover.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>

namespace sockscope {

namespace {

constexpr int kRecentServers = 8;
const char kRecentKey[] = "sources/recentServers";

QString tr(const char *text)
{
    return QCoreApplication::translate("SshSources", text);
}

QString commandFor(const SshTarget &target)
{
    QString command = QStringLiteral("sockscope --ssh %1").arg(target.spec());
    if (!target.configFile.isEmpty())
        command += QStringLiteral(" --ssh-config %1").arg(target.configFile);
    return command;
}

SourceEntry serverEntry(const SshTarget &target, const QString &detail, const RemoteMaker &make)
{
    SourceEntry entry;
    entry.key = target.sourceKey();
    entry.label = target.displayName();
    if (target.port > 0)
        entry.label += QLatin1Char(':') + QString::number(target.port);
    entry.detail = detail;
    entry.toolTip = tr("This server's sockets over ssh (your OpenSSH client, its config, agent "
                       "and known_hosts): %1")
                        .arg(commandFor(target));
    entry.make = [target, make] {
        rememberServer(target);
        return make(target);
    };
    return entry;
}

SourceEntry addServerEntry(const QString &configFile, const RemoteMaker &make)
{
    SourceEntry entry;
    entry.key = QStringLiteral("ssh-add");
    entry.label = tr("Add server…");
    entry.toolTip = tr("Show a server's sockets over ssh: user@host:port");
    entry.ask = [configFile, make](QWidget *parent) -> std::optional<SourceEntry> {
        std::optional<SshTarget> target = askForServer(parent);
        if (!target)
            return std::nullopt;
        target->configFile = configFile;
        return serverEntry(*target, QString(), make);
    };
    return entry;
}

} // namespace

QStringList sshConfigHosts(const QString &configFile)
{
    QFile file(configFile.isEmpty() ? QDir::homePath() + QStringLiteral("/.ssh/config")
                                    : configFile);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    // "Host a b", "host=a", "  Host  a  # comment": keyword and patterns.
    static const QRegularExpression hostLine(QStringLiteral("^\\s*host(?:\\s*=\\s*|\\s+)(.*)$"),
                                             QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression blank(QStringLiteral("\\s+"));
    QStringList hosts;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine());
        const QRegularExpressionMatch match = hostLine.match(line);
        if (!match.hasMatch())
            continue;
        QString patterns = match.captured(1);
        patterns.truncate(patterns.indexOf(QLatin1Char('#')) < 0 ? patterns.size()
                                                                 : patterns.indexOf('#'));
        for (QString host : patterns.split(blank, Qt::SkipEmptyParts)) {
            host.remove(QLatin1Char('"'));
            if (host.isEmpty() || host.contains(QLatin1Char('*')) ||
                host.contains(QLatin1Char('?')) || host.startsWith(QLatin1Char('!')) ||
                hosts.contains(host))
                continue;
            hosts << host;
        }
    }
    return hosts;
}

// The picker lists on a pool thread what the GUI thread remembered: QSettings
// hands the list over under its own (futex) lock, which TSan cannot see.
QStringList recentServers()
{
    handOverAcquire(&kRecentKey);
    return QSettings().value(QLatin1String(kRecentKey)).toStringList();
}

void rememberServer(const SshTarget &target)
{
    QStringList recent = recentServers();
    recent.removeAll(target.spec());
    recent.prepend(target.spec());
    handOverRelease(&kRecentKey);
    QSettings().setValue(QLatin1String(kRecentKey), recent.mid(0, kRecentServers));
}

SourceLister sshLister(const QString &configFile, RemoteMaker make)
{
    return [configFile, make] {
        QList<SourceEntry> entries;
        QSet<QString> keys;
        const auto add = [&](const QString &spec, const QString &detail) {
            auto target = parseSshTarget(spec);
            if (!target)
                return; // a hand-edited setting, or a Host ssh takes but we do not
            target->configFile = configFile;
            const SourceEntry entry = serverEntry(*target, detail, make);
            if (!keys.contains(entry.key)) {
                keys.insert(entry.key);
                entries << entry;
            }
        };
        for (const QString &spec : recentServers())
            add(spec, tr("recent server"));
        for (const QString &host : sshConfigHosts(configFile))
            add(host, tr("ssh config"));
        entries << addServerEntry(configFile, make);
        return entries;
    };
}

} // namespace sockscope
