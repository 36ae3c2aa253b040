// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenarios/transcript.h"

#include <QJsonObject>
#include <QStringList>

namespace sockscope {

// `sockscope scenario` prints a transcript as text, step by step while it
// runs, or as one JSON object at the end.

// Title, summary and ports.
QStringList transcriptHeaderText(const Scenario &scenario,
                                 const QMap<QString, std::uint16_t> &ports);
// The explanation, each command and its answer, the kernel's table, each check.
QStringList stepText(const StepRecord &step);
// "S4: the kernel behaved as the scenario explains" or the differences.
QStringList transcriptFooterText(const ScenarioTranscript &transcript);

// {id, title, seed, summary, ports{}, passed, differences[], steps[{number,
// explanation, passed, exchanges[{command, ok, errno, answer, details[],
// explanation{errno, summary, note, culprits[{description, when_it_ends,
// ends_in_ms, socket{...}}]}}], sockets[{dump --json keys}], checks[{expect,
// passed, observed}]}]}
QJsonObject transcriptToJson(const ScenarioTranscript &transcript);
// The catalog entry without running it: {id, title, seed, summary, steps[{commands, explanation,
// expectations[]}]}.
QJsonObject scenarioToJson(const Scenario &scenario);

} // namespace sockscope
