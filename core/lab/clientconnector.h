// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "explain/explainer.h"
#include "lab/labtypes.h"
#include "util/uniquefd.h"

#include <functional>
#include <vector>

namespace sockscope {

// What became of one connect of a batch.
struct ConnectOutcome
{
    UniqueFd fd; // valid when connected
    Endpoint local;
    int errnum = 0; // ECONNREFUSED, ETIMEDOUT, EADDRINUSE (bind), EMFILE (socket)...
    FailureContext::Operation failedAt = FailureContext::Operation::Connect;
    bool connected() const { return errnum == 0; }
};

// A descriptor to watch while the connects are in flight, and what to do when
// it is readable; `ready` returns false to stop watching it. The lab's own
// event-loop listeners use it, so they accept while the lab connects to them
// as two programs would: without it, their accept queue (backlog) would cap
// how many connects of one batch could complete.
struct SideWatch
{
    int fd = -1;
    std::function<bool()> ready;
};

// Starts spec.count non-blocking connects (socket, SO_REUSEADDR when asked, a
// bind to spec.local when given, connect), then polls them together until each
// has connected or failed; the ones still pending after spec.timeoutMs fail
// with ETIMEDOUT. So a refused or unanswered connect is an outcome, never a
// hang. Expects a validated spec (count 1..10000, timeout > 0).
std::vector<ConnectOutcome> connectMany(const ClientSpec &spec,
                                        std::vector<SideWatch> sideWatches = {});

} // namespace sockscope
