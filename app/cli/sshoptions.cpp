// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/sshoptions.h"

#include "cli/quitonsignals.h"
#include "remote/agentinstall.h"
#include "remote/remotesource.h"
#include "util/quotedvalue.h"

#include <cerrno>
#include <cstdio>
#include <QCoreApplication>
#include <QFileInfo>

namespace sockscope::cli {

void addSshOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("ssh"),
                      QStringLiteral("A server's sockets instead of this machine's, through the "
                                     "OpenSSH client (your config, agent and known_hosts)."),
                      QStringLiteral("[user@]host[:port]")});
    parser.addOption({QStringLiteral("install-agent"),
                      QStringLiteral("With --ssh, where the server has no sockscope: copy this "
                                     "AppImage to its ~/.cache/sockscope/ and run it there.")});
    parser.addOption({QStringLiteral("ssh-config"),
                      QStringLiteral("Pass this ssh client configuration (ssh -F FILE). The "
                                     "window without --ssh lists its Host lines as servers."),
                      QStringLiteral("FILE")});
}

Result<QString> sshConfigFromOptions(const QCommandLineParser &parser)
{
    const QString file = parser.value(QStringLiteral("ssh-config"));
    if (!QFileInfo(file).isFile() || !QFileInfo(file).isReadable())
        return Error{
            ENOENT,
            QStringLiteral("--ssh-config %1 is not a readable file").arg(quotedValue(file))};
    return file;
}

Result<std::optional<SshTarget>> sshTargetFromOptions(const QCommandLineParser &parser,
                                                      bool configAlone)
{
    const bool config = parser.isSet(QStringLiteral("ssh-config"));
    if (!parser.isSet(QStringLiteral("ssh"))) {
        if ((config && !configAlone) || installAgentRequested(parser))
            return Error{EINVAL,
                         QStringLiteral("--%1 needs --ssh [user@]host[:port]")
                             .arg(config && !configAlone ? QStringLiteral("ssh-config")
                                                         : QStringLiteral("install-agent"))};
        return std::optional<SshTarget>{};
    }
    if (installAgentRequested(parser) && !qEnvironmentVariableIsSet("APPIMAGE"))
        return Error{EINVAL, QStringLiteral("--install-agent copies the AppImage sockscope runs "
                                            "from, and this sockscope is not one: install "
                                            "sockscope on the server instead")};
    auto target = parseSshTarget(parser.value(QStringLiteral("ssh")));
    if (!target)
        return target.error();
    if (config) {
        const auto file = sshConfigFromOptions(parser);
        if (!file)
            return file.error();
        target->configFile = *file;
    }
    return std::optional<SshTarget>(*target);
}

bool installAgentRequested(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("install-agent"));
}

QString installHint(const SshTarget &target)
{
    if (!qEnvironmentVariableIsSet("APPIMAGE"))
        return {};
    return QStringLiteral("%1 has no sockscope: run again with --install-agent to copy this "
                          "AppImage to ~/%2 there (over the same ssh) and see every transition")
        .arg(target.displayName(), remoteAgentPath(QCoreApplication::applicationVersion()));
}

namespace {
// The copy before the session: the event loop runs until it is done.
bool installAgent(const SshTarget &target)
{
    const QString file = qEnvironmentVariable("APPIMAGE");
    std::fprintf(stderr, "sockscope: copying %s to %s:~/%s\n", qPrintable(file),
                 qPrintable(target.displayName()),
                 qPrintable(remoteAgentPath(QCoreApplication::applicationVersion())));
    AgentInstall install(target);
    bool ok = false;
    QObject::connect(&install, &AgentInstall::finished, QCoreApplication::instance(),
                     [&ok](bool done, const QString &message) {
                         ok = done;
                         if (!done)
                             std::fprintf(stderr, "sockscope: %s\n", qPrintable(message));
                         QCoreApplication::quit();
                     });
    install.start(file, QCoreApplication::applicationVersion());
    QCoreApplication::exec();
    return ok;
}
} // namespace

int runRemote(RemoteSource &source, const std::function<bool(const PollBatch &)> &onBatch,
              bool install)
{
    QCoreApplication *app = QCoreApplication::instance();
    quitOnSignals();
    if (install && !installAgent(source.target()))
        return 1;
    int status = 0;
    bool done = false;
    QString lastMessage;
    QObject::connect(&source, &RemoteSource::connected, app, [&source](const QString &summary) {
        std::fprintf(stderr, "sockscope: %s\n", qPrintable(summary));
        if (const QString hint = installHint(source.target());
            source.ssFallback() && !hint.isEmpty())
            std::fprintf(stderr, "sockscope: %s\n", qPrintable(hint));
    });
    QObject::connect(&source, &RemoteSource::pollFailed, app, [&](const QString &message) {
        if (message != lastMessage)
            std::fprintf(stderr, "sockscope: %s\n", qPrintable(message));
        lastMessage = message;
    });
    QObject::connect(&source, &RemoteSource::pollRecovered, app, [&] {
        std::fprintf(stderr, "sockscope: reconnected to %s\n",
                     qPrintable(source.target().displayName()));
        lastMessage.clear();
    });
    QObject::connect(&source, &RemoteSource::fatalError, app, [&] {
        status = 1;
        done = true;
        QCoreApplication::quit();
    });
    QObject::connect(&source, &RemoteSource::batchReady, app, [&](const PollBatch &batch) {
        if (!done && !onBatch(batch)) {
            done = true;
            QCoreApplication::quit();
        }
    });
    source.start();
    QCoreApplication::exec();
    source.stop();
    return status;
}

} // namespace sockscope::cli
