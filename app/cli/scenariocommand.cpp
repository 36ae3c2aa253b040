// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/scenariocommand.h"

#include "cli/commandline.h"
#include "cli/netnsoption.h"
#include "cli/output.h"
#include "scenarios/scenariocatalog.h"
#include "scenarios/scenariorunner.h"
#include "scenarios/transcriptformat.h"
#include "util/quotedvalue.h"

#include <cstdio>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace sockscope::cli {

namespace {
void printJson(const QJsonDocument &document)
{
    std::fputs(document.toJson(QJsonDocument::Indented).constData(), stdout);
}

int list(bool json)
{
    if (json) {
        QJsonArray array;
        for (const Scenario &scenario : allScenarios())
            array.append(scenarioToJson(scenario));
        printJson(QJsonDocument(array));
        return 0;
    }
    for (const Scenario &scenario : allScenarios()) {
        printLines({QStringLiteral("%1  %2 (%3, %4 steps)")
                        .arg(scenario.id, scenario.title, scenario.seed)
                        .arg(scenario.steps.size())});
    }
    return 0;
}
} // namespace

int runScenario(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs one of the pitfalls S1..S6 with real sockets on loopback and prints "
                       "each step, the kernel's states and the explanation. Exit status 0 when "
                       "the kernel behaved as the scenario explains, 1 otherwise."));
    parser.addPositionalArgument(QStringLiteral("scenario"),
                                 QStringLiteral("S1, S2, S3, S4, S5 or S6."));
    parser.addOption({QStringLiteral("list"), QStringLiteral("List the scenarios.")});
    parser.addOption(
        {QStringLiteral("json"), QStringLiteral("Print one JSON object (with --list: an array).")});
    addNetnsOption(parser, true);
    bool helpShown = false;
    if (auto parsed = parseArguments(parser, arguments, &helpShown); !parsed)
        return usageError(parsed.error().message, QStringLiteral("scenario"));
    if (helpShown)
        return 0;
    const bool json = parser.isSet(QStringLiteral("json"));
    const QStringList positional = parser.positionalArguments();
    if (parser.isSet(QStringLiteral("list"))) {
        if (!positional.isEmpty())
            return usageError(QStringLiteral("--list takes no scenario"),
                              QStringLiteral("scenario"));
        return list(json);
    }
    if (positional.size() != 1)
        return usageError(QStringLiteral("name one scenario, S1 to S6, or use --list"),
                          QStringLiteral("scenario"));
    const auto scenario = findScenario(positional.first());
    if (!scenario)
        return usageError(QStringLiteral("unknown scenario %1: use S1, S2, S3, S4, S5 or S6")
                              .arg(quotedValue(positional.first())),
                          QStringLiteral("scenario"));

    const auto ns = netnsFromOptions(parser);
    if (!ns)
        return usageError(ns.error().message, QStringLiteral("scenario"));

    ScenarioRunner runner(*scenario, QCoreApplication::applicationFilePath(), *ns);
    bool headerShown = false;
    const ScenarioTranscript transcript = runner.runAll([&](const StepRecord &step) {
        if (json)
            return;
        if (!headerShown) {
            printLines(transcriptHeaderText(runner.scenario(), runner.ports()));
            headerShown = true;
        }
        printLines(stepText(step));
    });
    if (json) {
        printJson(QJsonDocument(transcriptToJson(transcript)));
    } else {
        if (!headerShown)
            printLines(transcriptHeaderText(transcript.scenario, transcript.ports));
        printLines(transcriptFooterText(transcript));
    }
    return transcript.passed ? 0 : 1;
}

} // namespace sockscope::cli
