// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "explain/explanation.h"
#include "model/socketrecord.h"

#include <optional>

namespace sockscope {

// What was attempted when a call failed.
struct FailureContext
{
    enum class Operation
    {
        Bind,
        Listen,
        Connect,
        Accept,
        Socket
    };
    Operation operation = Operation::Bind;
    Family family = Family::IPv4;
    Endpoint local;                 // the address being bound / the listener's
    std::optional<Endpoint> remote; // for Connect
    bool reuseAddr = false;
    bool reusePort = false;
};

// Explains errnum in this context, naming the live sockets responsible, found
// in a fresh dump filtered (in the kernel) on the port involved, with owners.
// Never fails: without a dump it still names the errno and its meaning.
Explanation explainFailure(int errnum, const FailureContext &context);

} // namespace sockscope
