// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/tcpstate.h"

#include <QString>

namespace sockscope {

// What a state means, in one sentence for someone learning TCP: the diagram's
// tooltips. Empty for Unknown.
QString tcpStateMeaning(TcpState state);

// The name as the RFC figure prints it: "CLOSED" for the kernel's CLOSE,
// otherwise tcpStateName().
QString tcpStateFigureName(TcpState state);

} // namespace sockscope
