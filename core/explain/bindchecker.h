// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "explain/explanation.h"
#include "model/socketrecord.h"

namespace sockscope {

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
