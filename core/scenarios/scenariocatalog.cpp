// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenarios/scenariocatalog.h"

namespace sockscope {

QList<Scenario> allScenarios()
{
    return {closedListenerScenario(), acceptErrorsScenario(), sharedPortScenario(),
            closeWaitScenario(),      restartScenario(),      gracefulStopScenario()};
}

std::optional<Scenario> findScenario(const QString &id)
{
    for (const Scenario &scenario : allScenarios()) {
        if (scenario.id.compare(id.trimmed(), Qt::CaseInsensitive) == 0)
            return scenario;
    }
    return std::nullopt;
}

} // namespace sockscope
