// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "console/consoletokens.h"

namespace sockscope {

// The arguments after `listen`, `connect` and `server`, into the lab's specs.
Status parseListenSpec(ConsoleTokens &tokens, ListenerSpec &spec);
Status parseClientSpec(ConsoleTokens &tokens, ClientSpec &spec);
Status parseServerSpec(ConsoleTokens &tokens, ServerSpec &spec);

} // namespace sockscope
