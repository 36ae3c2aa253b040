// SPDX-License-Identifier: GPL-3.0-or-later
// Argument parsing and hand-over only: every mode lives in cli/.
#include "cli/agentcommand.h"
#include "cli/dumpcommand.h"
#include "cli/exportercommand.h"
#include "cli/labcommand.h"
#include "cli/netnscommand.h"
#include "cli/scenariocommand.h"
#include "cli/standarddescriptors.h"
#include "cli/watchcommand.h"
#include "lab/lab.h"
#include "windowmodule.h"

#include <cstdlib>
#include <cstring>
#include <QCoreApplication>

namespace {
// Runs a headless subcommand: its parser sees "sockscope <command>" as the program name.
int runHeadless(int argc, char **argv, int (*command)(const QStringList &))
{
    QCoreApplication app(argc, argv);
    QStringList arguments = app.arguments();
    arguments[0] = QStringLiteral("sockscope ") + arguments.takeAt(1);
    return command(arguments);
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication::setOrganizationName(QStringLiteral("SockScope"));
    QCoreApplication::setApplicationName(QStringLiteral("sockscope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SOCKSCOPE_VERSION));
    // Not for __lab-server: its descriptors are the lab's to count (S2).
    if (argc < 2 || std::strcmp(argv[1], "__lab-server") != 0)
        sockscope::cli::ensureStandardDescriptors();
    // ssh's askpass (the window set it up): a dialog, whatever the prompt says.
    if (std::getenv("SOCKSCOPE_ASKPASS"))
        return sockscope::runWindowModule(argc, argv);
    if (argc > 1 && std::strcmp(argv[1], "dump") == 0)
        return runHeadless(argc, argv, sockscope::cli::runDump);
    if (argc > 1 && std::strcmp(argv[1], "watch") == 0)
        return runHeadless(argc, argv, sockscope::cli::runWatch);
    if (argc > 1 && std::strcmp(argv[1], "exporter") == 0)
        return runHeadless(argc, argv, sockscope::cli::runExporter);
    if (argc > 1 && std::strcmp(argv[1], "netns") == 0)
        return runHeadless(argc, argv, sockscope::cli::runNetns);
    if (argc > 1 && std::strcmp(argv[1], "agent") == 0)
        return runHeadless(argc, argv, sockscope::cli::runAgent);
    if (argc > 1 && std::strcmp(argv[1], "lab") == 0)
        return runHeadless(argc, argv, sockscope::cli::runLab);
    if (argc > 1 && std::strcmp(argv[1], "scenario") == 0)
        return runHeadless(argc, argv, sockscope::cli::runScenario);
    // Hidden: the lab's server processes are this same executable.
    if (argc > 1 && std::strcmp(argv[1], "__lab-server") == 0)
        return sockscope::runLabServerProcess(argc, argv);
    return sockscope::runWindowModule(argc, argv);
}
