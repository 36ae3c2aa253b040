// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "owners/ownerinfo.h"

namespace sockscope {

// A dumped socket with whoever holds it: the unit `dump`, the console's `show`,
// the explainer and the scenarios all read.
struct OwnedSocket
{
    SocketRecord socket;
    OwnerLookup owner;
};

} // namespace sockscope
