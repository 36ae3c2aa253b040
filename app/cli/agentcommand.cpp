// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/agentcommand.h"

#include "cli/agentlab.h"
#include "cli/commandline.h"
#include "cli/stdinlinereader.h"
#include "format/batchjson.h"
#include "poller/poller.h"

#include <cerrno>
#include <cstdio>
#include <QCoreApplication>
#include <QSysInfo>
#include <unistd.h>

namespace sockscope::cli {

namespace {
// The whole line or nothing more: a short write to a pipe that broke ends the agent.
bool writeLine(const QByteArray &line)
{
    qsizetype done = 0;
    while (done < line.size()) {
        const ssize_t wrote = ::write(STDOUT_FILENO, line.constData() + done,
                                      static_cast<size_t>(line.size() - done));
        if (wrote < 0 && errno == EINTR)
            continue;
        if (wrote <= 0)
            return false;
        done += wrote;
    }
    return true;
}
} // namespace

int runAgent(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Stream this machine's sockets and transitions as JSON lines for a "
                       "sockscope window or command on another machine (sockscope --ssh). "
                       "Ends when standard input closes. With --lab, lab requests on standard "
                       "input are run here and answered among the batches."));
    addIntervalOption(parser);
    addTraceOption(parser);
    parser.addOption({QStringLiteral("port"),
                      QStringLiteral("Only sockets whose local or remote port is N."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("lab"),
                      QStringLiteral("Run the lab requests a window sends (sockscope --ssh HOST "
                                     "--remote-lab): listeners, clients and server processes "
                                     "are opened on this machine. Off, each is refused.")});
    bool helpShown = false;
    if (auto parsed = parseArguments(parser, arguments, &helpShown); !parsed)
        return usageError(parsed.error().message, QStringLiteral("agent"));
    if (helpShown)
        return 0;
    const Result<int> interval = intervalOption(parser);
    if (!interval)
        return usageError(interval.error().message, QStringLiteral("agent"));
    DumpFilter filter;
    if (parser.isSet(QStringLiteral("port"))) {
        const auto port = parsePort(parser.value(QStringLiteral("port")));
        if (!port)
            return usageError(port.error().message, QStringLiteral("agent"));
        filter.port = *port;
    }

    QCoreApplication *app = QCoreApplication::instance();
    const bool labWanted = parser.isSet(QStringLiteral("lab"));
    AgentLab lab(labWanted, QCoreApplication::applicationFilePath(), writeLine);
    StdinLineReader input(STDIN_FILENO, [&lab](const QString &line) { return lab.handle(line); });
    QObject::connect(&input, &StdinLineReader::finished, app, &QCoreApplication::quit);
    Poller poller(filter);
    poller.setIntervalMs(*interval);
    poller.setTracing(!parser.isSet(QStringLiteral("no-trace")));
    bool helloSent = false;
    int status = 0;
    QObject::connect(&poller, &Poller::batchReady, app, [&](const PollBatch &batch) {
        bool written = true;
        if (!helloSent) {
            AgentHello hello;
            hello.version = QCoreApplication::applicationVersion();
            hello.hostname = QSysInfo::machineHostName();
            hello.kernel = QSysInfo::kernelVersion();
            hello.tracing = batch.stats.tracing;
            hello.traceNotice = batch.stats.traceNotice;
            hello.ephemeralPortStart = batch.stats.ephemeralPortStart;
            hello.root = ::geteuid() == 0;
            hello.lab = labWanted;
            hello.pid = static_cast<int>(::getpid());
            written = writeLine(helloToJsonLine(hello));
            helloSent = true;
        }
        if (!written || !writeLine(batchToJsonLine(batch))) {
            status = 1;
            QCoreApplication::quit();
        }
    });
    // Failures go to stderr, which ssh shows the other end as they come.
    QObject::connect(&poller, &Poller::pollFailed, app, [](const QString &message) {
        std::fprintf(stderr, "sockscope agent: %s\n", qPrintable(message));
    });
    poller.start();
    QCoreApplication::exec();
    poller.stop();
    return status;
}

} // namespace sockscope::cli
