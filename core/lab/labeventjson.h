// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lab/labtypes.h"

#include <QJsonObject>
#include <QString>

namespace sockscope {

// What a lab event says, failures with their explanation:
// "listening on 127.0.0.1:9000", "connect: EADDRINUSE C2 127.0.0.1:10001 is still held by ...".
QString labEventText(const LabEvent &event);

// A lab event as the event log exports it (one JSON line): time_ms, event
// ("lab", or "error" for a failure), object ("L1", "C3", "P2"), text
// (labEventText), and errno ("EADDRINUSE") for failures.
QJsonObject labEventToJson(const LabEvent &event);

} // namespace sockscope
