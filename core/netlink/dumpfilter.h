// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"

#include <cstdint>
#include <optional>

namespace sockscope {

// What a dump asks the kernel for. The port and state filters run in the kernel
// (state bitmask and INET_DIAG_REQ_BYTECODE), not by discarding records here.
struct DumpFilter
{
    std::optional<Family> family;          // nullopt: both IPv4 and IPv6
    std::optional<std::uint16_t> port;     // matches the local OR the remote port
    std::uint32_t stateMask = 0xFFFFFFFFu; // bit (1 << kernel state value)
    bool withTcpInfo = false;

    static std::uint32_t stateBit(TcpState state) { return 1u << static_cast<unsigned>(state); }
    // The same test in user space, for sockets that did not come from our own
    // dump (a server's, over ssh).
    bool matches(const SocketRecord &socket) const
    {
        return (!family || socket.family == *family) && (!port || touchesPort(socket, *port)) &&
               (stateMask & stateBit(socket.state)) != 0;
    }
};

} // namespace sockscope
