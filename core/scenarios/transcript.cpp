// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenarios/transcript.h"

namespace sockscope {

QStringList ScenarioTranscript::differences() const
{
    QStringList result;
    if (!setupError.isEmpty())
        result << setupError;
    for (const StepRecord &step : steps) {
        if (!step.stoppedBecause.isEmpty())
            result
                << QStringLiteral("step %1 stopped: %2").arg(step.number).arg(step.stoppedBecause);
        for (const CheckResult &check : step.checks) {
            if (check.passed)
                continue;
            result << QStringLiteral("step %1: expected %2; saw %3")
                          .arg(step.number)
                          .arg(check.expectation, check.observed);
        }
    }
    return result;
}

} // namespace sockscope
