// SPDX-License-Identifier: GPL-3.0-or-later
// The command line's argument handling (app/cli/commandline.h) on arbitrary
// argument lists: one argument per line of the input, the first naming the
// command as main() passes it ("sockscope watch"). Options are the ones dump
// and watch declare; parsing must answer with an Error, never exit or crash.
#include "cli/commandline.h"
#include "fuzzcheck.h"

#include <cstddef>
#include <cstdint>
#include <QCommandLineParser>
#include <QString>

using namespace sockscope;
using namespace sockscope::cli;

namespace {
void checkRefusal(const Error &error)
{
    fuzzCheck(!error.message.isEmpty(), QStringLiteral("an Error without a message"));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QString text =
        QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QStringList arguments = text.split(QLatin1Char('\n'));

    QCommandLineParser parser;
    parser.addOption({QStringLiteral("json"), QStringLiteral("JSON")});
    parser.addOption({QStringLiteral("interval"), QStringLiteral("poll"), QStringLiteral("MS")});
    parser.addOption({QStringLiteral("duration"), QStringLiteral("stop"), QStringLiteral("MS")});
    addTraceOption(parser);
    addFilterOptions(parser);
    bool helpShown = false;
    const auto parsed = parseArguments(parser, arguments, &helpShown);
    if (!parsed) {
        checkRefusal(parsed.error());
        return 0;
    }
    if (const auto filter = filterFromOptions(parser); !filter)
        checkRefusal(filter.error());
    if (const auto interval = intervalOption(parser); !interval)
        checkRefusal(interval.error());
    // Every word as the values the options take.
    for (const QString &word : arguments) {
        if (const auto port = parsePort(word); !port)
            checkRefusal(port.error());
        if (const auto number = parseBoundedInt(QStringLiteral("duration"), word, 1, 86400000);
            number)
            fuzzCheck(*number >= 1 && *number <= 86400000, QStringLiteral("out of range"));
    }
    return 0;
}
