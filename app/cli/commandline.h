// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "netlink/dumpfilter.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>

namespace sockscope::cli {

inline constexpr int kExitUsage = 2;

// Prints "sockscope: MESSAGE (see 'sockscope COMMAND --help')" to stderr and
// returns kExitUsage; no command: the window's options, 'sockscope --help'.
int usageError(const QString &message, const QString &command = {});

// Each returns an Error whose message names the bad value and the accepted range.
Result<std::uint16_t> parsePort(const QString &text);
Result<int> parseBoundedInt(const QString &what, const QString &text, int minimum, int maximum);

// --interval MS, described with the poller's range and default (watch, exporter).
void addIntervalOption(QCommandLineParser &parser);
// --interval MS: the poller's default when absent, an Error naming the range when
// out of it (Poller::kMinimumIntervalMs..kMaximumIntervalMs).
Result<int> intervalOption(const QCommandLineParser &parser);

// --no-trace: poll only, even where the kernel's tracepoints could be read
// (the window and watch).
void addTraceOption(QCommandLineParser &parser);

// --port, --state (repeatable), --family: the options shared by dump and watch.
void addFilterOptions(QCommandLineParser &parser);
Result<DumpFilter> filterFromOptions(const QCommandLineParser &parser);

// Runs parser.process-like parsing without exiting on errors: unknown options and
// missing values come back as an Error. Handles --help itself (returns 0 via helpShown).
Result<Ok> parseArguments(QCommandLineParser &parser, const QStringList &arguments,
                          bool *helpShown);

// The common part of dump and watch: --help, no positional argument, the
// filter options. exitNow is set when the command must return at once (0 after
// --help, kExitUsage after printing a bad argument).
struct FilterCommand
{
    std::optional<int> exitNow;
    DumpFilter filter;
};
FilterCommand parseFilterCommand(QCommandLineParser &parser, const QStringList &arguments,
                                 const QString &command);

} // namespace sockscope::cli
