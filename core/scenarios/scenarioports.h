// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenarios/scenario.h"
#include "util/result.h"

#include <cstdint>
#include <QMap>
#include <QString>

namespace sockscope {

// Picks each of the scenario's ports on 127.0.0.1: the seed's number when no
// socket uses it at either end (a leftover TIME_WAIT of an earlier run would
// confuse the checks) and a probe bind passes; otherwise a free port the
// kernel hands out, checked the same way. Fails when none is found or the
// dump is not available.
Result<QMap<QString, std::uint16_t>> chooseScenarioPorts(const QList<ScenarioPort> &ports);

// A step's explanation with its port names ("PORT", "PORT2", "CPORT") replaced
// by the chosen numbers. Whole words only: PORT inside PORT2 is not PORT.
QString withPortNumbers(const QString &text, const QMap<QString, int> &ports);

} // namespace sockscope
