// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/remotelabcommand.h"

#include "cli/output.h"
#include "cli/sshoptions.h"
#include "cli/stdinlinereader.h"
#include "lab/labeventjson.h"
#include "remote/remoteaccess.h"
#include "remote/remotesource.h"

#include <cstdio>
#include <memory>
#include <optional>
#include <QCoreApplication>
#include <QEventLoop>
#include <unistd.h>

namespace sockscope::cli {

namespace {
// What the console itself leaves out: blank lines and comments.
bool isCommand(const QString &line)
{
    const QString command = line.left(line.indexOf(QLatin1Char('#'))).trimmed();
    return !command.isEmpty();
}
} // namespace

int runRemoteLab(const SshTarget &target, bool echo, bool events, bool installAgent)
{
    QCoreApplication *app = QCoreApplication::instance();
    RemoteSource source(target);
    source.setLab(true);
    source.setTracing(false);
    source.setReconnect(false);  // the lab's objects do not survive a reconnect
    source.setIntervalMs(60000); // the console reads answers, not batches
    std::unique_ptr<StdinLineReader> reader;
    std::uint64_t nextRequest = 1;
    bool failed = false;
    if (events)
        QObject::connect(&source, &RemoteSource::labEvent, app, [](const LabEvent &event) {
            std::fprintf(stderr, "event %s %s\n", event.objectId.toUtf8().constData(),
                         labEventText(event).toUtf8().constData());
        });
    QObject::connect(&source, &RemoteSource::fatalError, app, [&] { failed = true; });
    const auto ask = [&](const QString &line) {
        if (!isCommand(line))
            return true;
        const std::uint64_t request = nextRequest++;
        std::optional<ConsoleAnswer> answer;
        QEventLoop wait;
        const auto answered = QObject::connect(&source, &RemoteSource::labAnswered, &wait,
                                               [&](std::uint64_t to, const ConsoleAnswer &reply) {
                                                   if (to == request) {
                                                       answer = reply;
                                                       wait.quit();
                                                   }
                                               });
        const auto lost =
            QObject::connect(&source, &RemoteSource::fatalError, &wait, &QEventLoop::quit);
        source.submitLab(request, line);
        if (!answer)
            wait.exec();
        QObject::disconnect(answered);
        QObject::disconnect(lost);
        if (!answer)
            return false; // the connection ended: said on stderr
        if (echo)
            printLines({QStringLiteral("> ") + line.trimmed()});
        printLines(answer->lines());
        return !failed && line.trimmed() != QLatin1String("quit");
    };
    QObject::connect(&source, &RemoteSource::connected, app, [&] {
        if (reader)
            return;
        if (source.ssFallback()) {
            std::fprintf(stderr, "sockscope: %s\n",
                         qPrintable(remoteLabNeedsSockscopeText(target.displayName())));
            failed = true;
            QCoreApplication::quit();
            return;
        }
        reader = std::make_unique<StdinLineReader>(STDIN_FILENO, ask);
        QObject::connect(reader.get(), &StdinLineReader::finished, app, &QCoreApplication::quit,
                         Qt::QueuedConnection);
    });
    // Batches are not printed: the console answers lines.
    const int status = runRemote(
        source, [](const PollBatch &) { return true; }, installAgent);
    return failed ? 1 : status;
}

} // namespace sockscope::cli
