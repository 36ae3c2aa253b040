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

// "Can I bind ADDR:PORT with these options, and if not, who stops me and when
// does that end?" Uses the dump and a real probe bind (socket, options, bind,
// close; never listen). The kernel does not report whether other processes'
// sockets set SO_REUSEADDR, so when that decides the answer the note says so.
struct BindVerdict
{
    bool canBind = false;
    Explanation explanation; // errnum 0 and culprits (TIME_WAIT that would block without
                             // SO_REUSEADDR...) when canBind
};
BindVerdict checkBind(Family family, const Endpoint &local, bool reuseAddr, bool reusePort);

} // namespace sockscope
