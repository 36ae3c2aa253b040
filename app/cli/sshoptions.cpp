// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/sshoptions.h"

#include "cli/quitonsignals.h"
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
    parser.addOption({QStringLiteral("ssh-config"),
                      QStringLiteral("Pass this ssh client configuration (ssh -F FILE)."),
                      QStringLiteral("FILE")});
}

Result<std::optional<SshTarget>> sshTargetFromOptions(const QCommandLineParser &parser)
{
    const bool config = parser.isSet(QStringLiteral("ssh-config"));
    if (!parser.isSet(QStringLiteral("ssh"))) {
        if (config)
            return Error{EINVAL, QStringLiteral("--ssh-config needs --ssh [user@]host[:port]")};
        return std::optional<SshTarget>{};
    }
    auto target = parseSshTarget(parser.value(QStringLiteral("ssh")));
    if (!target)
        return target.error();
    if (config) {
        const QString file = parser.value(QStringLiteral("ssh-config"));
        if (!QFileInfo(file).isFile() || !QFileInfo(file).isReadable())
            return Error{
                ENOENT,
                QStringLiteral("--ssh-config %1 is not a readable file").arg(quotedValue(file))};
        target->configFile = file;
    }
    return std::optional<SshTarget>(*target);
}

int runRemote(RemoteSource &source, const std::function<bool(const PollBatch &)> &onBatch)
{
    QCoreApplication *app = QCoreApplication::instance();
    quitOnSignals();
    int status = 0;
    bool done = false;
    QString lastMessage;
    QObject::connect(&source, &RemoteSource::connected, app, [](const QString &summary) {
        std::fprintf(stderr, "sockscope: %s\n", qPrintable(summary));
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
