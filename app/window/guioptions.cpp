// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/guioptions.h"

#include "cli/commandline.h"
#include "cli/netnsoption.h"
#include "cli/sshoptions.h"
#include "model/tcpstate.h"
#include "scenarios/scenariocatalog.h"
#include "util/quotedvalue.h"

#include <cstdio>
#include <QRegularExpression>

namespace sockscope::cli {

namespace {

Result<QSize> parseSize(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"));
    const auto match = pattern.match(text.trimmed());
    const int width = match.hasMatch() ? match.captured(1).toInt() : 0;
    const int height = match.hasMatch() ? match.captured(2).toInt() : 0;
    if (width < 200 || height < 150 || width > 8000 || height > 8000)
        return Error{EINVAL, QStringLiteral("invalid size %1: use WIDTHxHEIGHT, e.g. 1280x800 "
                                            "(200x150 to 8000x8000)")
                                 .arg(quotedValue(text))};
    return QSize(width, height);
}

void addGuiOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        QStringLiteral("SockScope shows TCP sockets moving through the TCP state machine, live.\n\n"
                       "Commands:\n"
                       "  (none)     open the window\n"
                       "  dump       print the current sockets (sockscope dump --help)\n"
                       "  watch      stream socket events (sockscope watch --help)\n"
                       "  netns      list the network namespaces (sockscope netns --help)\n"
                       "  lab        the lab console on standard input (sockscope lab --help)\n"
                       "  scenario   run one of the pitfalls S1-S6 (sockscope scenario --help)\n"
                       "  agent      stream this machine's sockets for --ssh on another one"));
    parser.addOption({QStringLiteral("version"), QStringLiteral("Print the version and exit.")});
    parser.addOption({QStringLiteral("interval"), QStringLiteral("Poll every MS milliseconds."),
                      QStringLiteral("MS")});
    parser.addOption(
        {QStringLiteral("screenshot"),
         QStringLiteral("Render the main window into FILE (PNG) and exit; works without "
                        "a display."),
         QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("Window size for --screenshot."),
                      QStringLiteral("WxH")});
    addTraceOption(parser);
    addNetnsOption(parser);
    parser.addOption({QStringLiteral("also-netns"),
                      QStringLiteral("Also show this network namespace, in a tab of its own "
                                     "behind the first (repeat it for more tabs)."),
                      QStringLiteral("NAME|PID|PATH")});
    addSshOptions(parser);
    parser.addOption({QStringLiteral("remote-lab"),
                      QStringLiteral("With --ssh: the lab panel and bind checker act on the "
                                     "server (its sockscope agent opens the listeners, clients "
                                     "and server processes there). Off by default.")});
    parser.addOption(
        {QStringLiteral("dark"),
         QStringLiteral("Use a dark palette (Fusion style) whatever the desktop's theme.")});
    parser.addOption({QStringLiteral("scenario"),
                      QStringLiteral("With --screenshot: run this scenario (S1..S6) in the guided "
                                     "panel first."),
                      QStringLiteral("Sn")});
    parser.addOption({QStringLiteral("steps"),
                      QStringLiteral("With --scenario: stop after N steps instead of at the end."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("select-state"),
                      QStringLiteral("With --screenshot: select the first socket in STATE (e.g. "
                                     "CLOSE_WAIT) and show its ladder."),
                      QStringLiteral("STATE")});
    parser.addOption({QStringLiteral("show-sources"),
                      QStringLiteral("With --screenshot: open the toolbar's list of namespaces "
                                     "(what the window can show) in the picture.")});
    parser.addOption({QStringLiteral("select-ended"),
                      QStringLiteral("With --screenshot: show the newest ended connection "
                                     "(History) and its ladder.")});
}

Result<ScreenshotSelection> selectionFrom(const QCommandLineParser &parser, bool screenshot)
{
    ScreenshotSelection select;
    select.ended = parser.isSet(QStringLiteral("select-ended"));
    if (parser.isSet(QStringLiteral("select-state"))) {
        const QString name = parser.value(QStringLiteral("select-state")).trimmed().toUpper();
        if (!tcpStateFromName(name))
            return Error{EINVAL, QStringLiteral("unknown state %1: use a TCP state name such "
                                                "as CLOSE_WAIT")
                                     .arg(quotedValue(name))};
        select.state = name;
    }
    if (select.any() && !screenshot)
        return Error{EINVAL, QStringLiteral("--select-state and --select-ended go with "
                                            "--screenshot FILE")};
    return select;
}

// The options once --help and --version are out of the way.
Result<GuiOptions> optionsFrom(const QCommandLineParser &parser)
{
    if (!parser.positionalArguments().isEmpty())
        return Error{EINVAL, QStringLiteral("unknown command %1: use dump, watch, netns, lab, "
                                            "scenario, or no command for the window")
                                 .arg(quotedValue(parser.positionalArguments().first()))};
    GuiOptions options;
    if (parser.isSet(QStringLiteral("interval"))) {
        const Result<int> interval = intervalOption(parser);
        if (!interval)
            return interval.error();
        options.intervalMs = *interval;
    }
    options.dark = parser.isSet(QStringLiteral("dark"));
    auto ns = netnsFromOptions(parser);
    if (!ns)
        return ns.error();
    options.ns = *ns;
    for (const QString &spec : parser.values(QStringLiteral("also-netns"))) {
        auto also = NetworkNamespace::resolve(spec.trimmed());
        if (!also) {
            // resolve() names the option as --netns: this one is --also-netns.
            QString message = also.error().message;
            if (message.startsWith(QLatin1String("--netns")))
                message.replace(0, 7, QStringLiteral("--also-netns"));
            return Error{also.error().errnum, message};
        }
        options.alsoNs << *also;
    }
    options.trace = !parser.isSet(QStringLiteral("no-trace"));
    options.screenshotFile = parser.value(QStringLiteral("screenshot"));
    // An empty name would open the window instead, waiting forever where no
    // one can close it (a script, CI).
    if (parser.isSet(QStringLiteral("screenshot")) && options.screenshotFile.trimmed().isEmpty())
        return Error{EINVAL, QStringLiteral("--screenshot needs a FILE name, e.g. window.png")};
    if (parser.isSet(QStringLiteral("size"))) {
        const auto size = parseSize(parser.value(QStringLiteral("size")));
        if (!size)
            return size.error();
        options.size = *size;
    }
    if (parser.isSet(QStringLiteral("scenario"))) {
        options.scenario = parser.value(QStringLiteral("scenario")).trimmed().toUpper();
        if (!findScenario(options.scenario))
            return Error{EINVAL, QStringLiteral("unknown scenario %1: use S1 to S6")
                                     .arg(quotedValue(options.scenario))};
        if (options.screenshotFile.isEmpty())
            return Error{EINVAL, QStringLiteral("--scenario goes with --screenshot FILE")};
    }
    if (parser.isSet(QStringLiteral("ssh-config")) && !parser.isSet(QStringLiteral("ssh"))) {
        const auto config = sshConfigFromOptions(parser);
        if (!config)
            return config.error();
        options.sshConfig = *config;
    }
    const auto ssh = sshTargetFromOptions(parser, true);
    if (!ssh)
        return ssh.error();
    options.ssh = *ssh;
    options.installAgent = installAgentRequested(parser);
    options.remoteLab = parser.isSet(QStringLiteral("remote-lab"));
    if (options.remoteLab && !options.ssh)
        return Error{EINVAL, QStringLiteral("--remote-lab needs --ssh [user@]host[:port]: this "
                                            "machine's lab is on without it")};
    if (options.ssh && !options.alsoNs.isEmpty())
        return Error{EINVAL, QStringLiteral("--also-netns and --ssh do not go together: the "
                                            "window on a server shows that server only")};
    if (options.ssh && options.ns.chosen())
        return Error{EINVAL, QStringLiteral("--netns and --ssh do not go together: the namespace "
                                            "would be the server's (not supported yet)")};
    if (options.ssh && !options.scenario.isEmpty())
        return Error{EINVAL, QStringLiteral("--scenario runs on this machine only: leave out "
                                            "--ssh")};
    if (parser.isSet(QStringLiteral("steps"))) {
        const auto steps =
            parseBoundedInt(QStringLiteral("steps"), parser.value(QStringLiteral("steps")), 1, 100);
        if (!steps)
            return steps.error();
        options.steps = *steps;
    }
    const auto select = selectionFrom(parser, !options.screenshotFile.isEmpty());
    if (!select)
        return select.error();
    options.select = *select;
    options.showSources = parser.isSet(QStringLiteral("show-sources"));
    if (options.showSources && options.screenshotFile.isEmpty())
        return Error{EINVAL, QStringLiteral("--show-sources goes with --screenshot FILE")};
    return options;
}

} // namespace

GuiCommandLine parseGuiCommandLine(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    QCommandLineParser parser;
    addGuiOptions(parser);
    bool helpShown = false;
    if (auto parsed = parseArguments(parser, arguments, &helpShown); !parsed)
        return {std::nullopt, usageError(parsed.error().message)};
    if (helpShown)
        return {std::nullopt, 0};
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("sockscope %s\n", SOCKSCOPE_VERSION);
        return {std::nullopt, 0};
    }
    auto options = optionsFrom(parser);
    if (!options)
        return {std::nullopt, usageError(options.error().message)};
    return {std::move(*options), 0};
}

} // namespace sockscope::cli
