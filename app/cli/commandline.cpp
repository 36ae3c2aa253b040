// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commandline.h"

#include "poller/poller.h"
#include "util/quotedvalue.h"

#include <cstdio>

namespace sockscope::cli {

int usageError(const QString &message, const QString &command)
{
    const QString help = command.isEmpty() ? QStringLiteral("sockscope --help")
                                           : QStringLiteral("sockscope %1 --help").arg(command);
    std::fprintf(stderr, "sockscope: %s (see '%s')\n", qPrintable(message), qPrintable(help));
    return kExitUsage;
}

Result<int> parseBoundedInt(const QString &what, const QString &text, int minimum, int maximum)
{
    bool ok = false;
    const qlonglong value = text.trimmed().toLongLong(&ok);
    if (!ok || value < minimum || value > maximum) {
        return Error{EINVAL, QStringLiteral("invalid %1 %2: expected a whole number from %3 to %4")
                                 .arg(what, quotedValue(text))
                                 .arg(minimum)
                                 .arg(maximum)};
    }
    return static_cast<int>(value);
}

Result<std::uint16_t> parsePort(const QString &text)
{
    auto value = parseBoundedInt(QStringLiteral("port"), text, 0, 65535);
    if (!value)
        return value.error();
    return static_cast<std::uint16_t>(*value);
}

void addIntervalOption(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("interval"),
                      QStringLiteral("Poll every MS milliseconds (%1 to %2, default %3).")
                          .arg(Poller::kMinimumIntervalMs)
                          .arg(Poller::kMaximumIntervalMs)
                          .arg(Poller::kDefaultIntervalMs),
                      QStringLiteral("MS")});
}

Result<int> intervalOption(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("interval")))
        return Poller::kDefaultIntervalMs;
    return parseBoundedInt(QStringLiteral("interval"), parser.value(QStringLiteral("interval")),
                           Poller::kMinimumIntervalMs, Poller::kMaximumIntervalMs);
}

void addTraceOption(QCommandLineParser &parser)
{
    parser.addOption(
        {QStringLiteral("no-trace"),
         QStringLiteral("Poll only: do not follow transitions through the kernel's tracepoints "
                        "(by default used when allowed: root, or cap_bpf,cap_perfmon).")});
}

void addFilterOptions(QCommandLineParser &parser)
{
    parser.addOption(
        {QStringLiteral("port"),
         QStringLiteral("Only sockets whose local or remote port is N (filtered in the kernel)."),
         QStringLiteral("N")});
    parser.addOption(
        {QStringLiteral("state"),
         QStringLiteral("Only sockets in this state (LISTEN, ESTABLISHED, TIME_WAIT, ...); "
                        "repeat for several."),
         QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("family"),
                      QStringLiteral("Only IPv4 (4) or IPv6 (6) sockets."), QStringLiteral("4|6")});
}

Result<DumpFilter> filterFromOptions(const QCommandLineParser &parser)
{
    DumpFilter filter;
    if (parser.isSet(QStringLiteral("port"))) {
        auto port = parsePort(parser.value(QStringLiteral("port")));
        if (!port)
            return port.error();
        filter.port = *port;
    }
    const QStringList states = parser.values(QStringLiteral("state"));
    if (!states.isEmpty()) {
        filter.stateMask = 0;
        for (const QString &name : states) {
            const auto state = tcpStateFromName(name);
            if (!state) {
                return Error{EINVAL,
                             QStringLiteral("unknown state %1: use one of LISTEN, SYN_SENT, "
                                            "SYN_RECV, ESTABLISHED, FIN_WAIT1, FIN_WAIT2, "
                                            "TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, CLOSING")
                                 .arg(quotedValue(name))};
            }
            filter.stateMask |= DumpFilter::stateBit(*state);
        }
    }
    if (parser.isSet(QStringLiteral("family"))) {
        const QString family = parser.value(QStringLiteral("family")).trimmed();
        if (family == QLatin1String("4") || family == QLatin1String("ipv4"))
            filter.family = Family::IPv4;
        else if (family == QLatin1String("6") || family == QLatin1String("ipv6"))
            filter.family = Family::IPv6;
        else
            return Error{EINVAL,
                         QStringLiteral("invalid family %1: use 4 or 6").arg(quotedValue(family))};
    }
    return filter;
}

namespace {
// QCommandLineParser names the program after QCoreApplication's argv[0] (a
// path, or "<executable_name>" before a QCoreApplication exists): say what a
// user types instead, "sockscope" or "sockscope dump".
QString helpText(const QCommandLineParser &parser, const QString &program)
{
    QString text = parser.helpText();
    const QLatin1String usage("Usage: ");
    const qsizetype end = text.indexOf(QLatin1String(" [options]"));
    const QString name =
        program.contains(QLatin1Char('/')) ? program.section(QLatin1Char('/'), -1) : program;
    if (text.startsWith(usage) && end > usage.size() && !name.isEmpty())
        text.replace(usage.size(), end - usage.size(), name);
    return text;
}
} // namespace

Result<Ok> parseArguments(QCommandLineParser &parser, const QStringList &arguments, bool *helpShown)
{
    const QCommandLineOption help = parser.addHelpOption();
    *helpShown = false;
    if (!parser.parse(arguments)) {
        // Qt's sentence ends with a full stop; ours goes on with where the help is.
        QString text = parser.errorText();
        if (text.endsWith(QLatin1Char('.')))
            text.chop(1);
        return Error{EINVAL, shortenedText(text, 120)};
    }
    if (parser.isSet(help)) {
        std::fputs(qPrintable(helpText(parser, arguments.value(0))), stdout);
        *helpShown = true;
    }
    return Ok{};
}

FilterCommand parseFilterCommand(QCommandLineParser &parser, const QStringList &arguments,
                                 const QString &command)
{
    FilterCommand result;
    bool helpShown = false;
    if (auto parsed = parseArguments(parser, arguments, &helpShown); !parsed) {
        result.exitNow = usageError(parsed.error().message, command);
        return result;
    }
    if (helpShown) {
        result.exitNow = 0;
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.exitNow =
            usageError(QStringLiteral("%1 takes no argument %2")
                           .arg(command, quotedValue(parser.positionalArguments().first())),
                       command);
        return result;
    }
    auto filter = filterFromOptions(parser);
    if (!filter)
        result.exitNow = usageError(filter.error().message, command);
    else
        result.filter = *filter;
    return result;
}

} // namespace sockscope::cli
