// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "console/consoleanswer.h"
#include "owners/ownedsocket.h"
#include "scenarios/scenario.h"

#include <cstdint>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <vector>

namespace sockscope {

// What running a scenario showed: every command with its answer, the kernel's
// sockets on the scenario's ports after each step, and each expectation with
// what was seen.
struct CheckResult
{
    QString expectation; // Expectation::describe() with real port numbers
    bool passed = false;
    QString observed; // what the answer or the dump showed
};

struct Exchange
{
    QString command; // with ports and ids filled in
    ConsoleAnswer answer;
};

struct StepRecord
{
    int number = 0; // 1-based
    QString explanation;
    QList<Exchange> exchanges;
    std::vector<OwnedSocket> sockets; // the final dump of the step
    QList<CheckResult> checks;
    bool passed = true;
    // Set when the step could not go on (loopback down, an id an earlier
    // failure never gave): one line instead of checks, and no later step runs.
    QString stoppedBecause;
};

struct ScenarioTranscript
{
    Scenario scenario;
    QMap<QString, std::uint16_t> ports;
    QList<StepRecord> steps;
    QString setupError; // the scenario could not start (no free port, no sock_diag)
    bool passed = false;
    // "step 3 (rebind L1): expected ...; saw ..." for every failed check.
    QStringList differences() const;
};

} // namespace sockscope

Q_DECLARE_METATYPE(sockscope::StepRecord)
