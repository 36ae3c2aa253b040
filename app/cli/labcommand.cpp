// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/labcommand.h"

#include "cli/commandline.h"
#include "cli/netnsoption.h"
#include "cli/output.h"
#include "cli/remotelabcommand.h"
#include "cli/sshoptions.h"
#include "cli/stdinlinereader.h"
#include "console/labconsole.h"
#include "lab/lab.h"
#include "util/monotonic.h"
#include "util/quotedvalue.h"

#include <cerrno>
#include <cstdio>
#include <QCoreApplication>
#include <QTimer>
#include <unistd.h>

namespace sockscope::cli {

int runLab(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The lab console: one command per line on standard input, one answer line "
                       "each, starting with 'ok' or 'error ERRNO_NAME'. Type 'help' for the "
                       "commands (docs/lab-console.md). End of input or 'quit' closes everything "
                       "the lab opened, gracefully."));
    parser.addOption(
        {QStringLiteral("echo"),
         QStringLiteral("Print each command, prefixed with '> ', before its answer.")});
    parser.addOption({QStringLiteral("events"),
                      QStringLiteral("Print the lab's events (accepts, closes, failures) to "
                                     "standard error.")});
    addNetnsOption(parser, true);
    addSshOptions(parser);
    bool helpShown = false;
    if (auto parsed = parseArguments(parser, arguments, &helpShown); !parsed)
        return usageError(parsed.error().message, QStringLiteral("lab"));
    if (helpShown)
        return 0;
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("lab reads its commands from standard input and takes no "
                                         "argument %1")
                              .arg(quotedValue(parser.positionalArguments().first())),
                          QStringLiteral("lab"));
    const bool echo = parser.isSet(QStringLiteral("echo"));
    const auto ns = netnsFromOptions(parser);
    if (!ns)
        return usageError(ns.error().message, QStringLiteral("lab"));
    const auto ssh = sshTargetFromOptions(parser);
    if (!ssh)
        return usageError(ssh.error().message, QStringLiteral("lab"));
    if (*ssh) {
        if (ns->chosen())
            return usageError(QStringLiteral("--netns and --ssh do not go together: the namespace "
                                             "would be the server's (not supported yet)"),
                              QStringLiteral("lab"));
        return runRemoteLab(**ssh, echo, parser.isSet(QStringLiteral("events")),
                            installAgentRequested(parser));
    }

    LabConsole console(QCoreApplication::applicationFilePath(), *ns);
    if (parser.isSet(QStringLiteral("events"))) {
        const std::int64_t origin = monotonicMs();
        QObject::connect(&console.lab(), &Lab::labEvent, [origin](const LabEvent &event) {
            std::fprintf(stderr, "event +%.3fs %s %s\n", (event.timeMs - origin) / 1000.0,
                         event.objectId.toUtf8().constData(), event.text.toUtf8().constData());
        });
    }
    StdinLineReader reader(STDIN_FILENO, [&console, echo](const QString &line) {
        const auto answer = console.execute(line);
        if (!answer)
            return true;
        if (echo)
            printLines({QStringLiteral("> ") + line.trimmed()});
        printLines(answer->lines());
        return !console.quitRequested();
    });
    reader.setOverlongHandler([](qsizetype length) {
        printLines(ConsoleAnswer::failure(
                       Error{E2BIG, QStringLiteral("a line of %1 bytes is longer than the %2 the "
                                                   "console reads: ignored, nothing was done")
                                        .arg(length)
                                        .arg(StdinLineReader::kMaxLineBytes)})
                       .lines());
        return true;
    });
    QObject::connect(&reader, &StdinLineReader::finished, QCoreApplication::instance(),
                     &QCoreApplication::quit, Qt::QueuedConnection);
    QCoreApplication::exec();
    console.closeAll();
    return 0;
}

} // namespace sockscope::cli
