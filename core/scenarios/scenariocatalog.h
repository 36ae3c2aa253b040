// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenarios/scenario.h"

#include <optional>
#include <QList>
#include <QString>

namespace sockscope {

// The six pitfalls of docs/scenarios.md as lab scripts, in order S1..S6. The
// console runs them (`sockscope scenario`), the GUI's guided panel walks the
// same steps.
QList<Scenario> allScenarios();
// By id, case-insensitively ("s4" finds S4).
std::optional<Scenario> findScenario(const QString &id);

// One function per scenario, each in its own file.
Scenario closedListenerScenario(); // S1
Scenario acceptErrorsScenario();   // S2
Scenario sharedPortScenario();     // S3
Scenario closeWaitScenario();      // S4
Scenario restartScenario();        // S5
Scenario gracefulStopScenario();   // S6

} // namespace sockscope
