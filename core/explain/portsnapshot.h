// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "explain/explanation.h"
#include "model/socketrecord.h"
#include "netlink/dumpfilter.h"
#include "owners/ownedsocket.h"
#include "util/result.h"

#include <cstdint>
#include <vector>

namespace sockscope {

// The TCP sockets on one port as one fresh dump shows them, with their owners:
// the evidence an explanation names. Both families are dumped because an IPv6
// wildcard listener also holds the IPv4 port (dual stack).
class PortSnapshot
{
public:
    // Dumps with a kernel-side port filter (local or remote port), with tcp_info
    // for idle times, and resolves owners through /proc. Fails with the
    // DiagClient's Error (then the caller explains without naming sockets).
    static Result<PortSnapshot> take(std::uint16_t port);

    // Sockets whose local endpoint stops a bind of (family, local): same port,
    // and the same address or a wildcard on either side. Request sockets
    // (SYN_RECV) are left out: their listener is the one that holds the port.
    std::vector<OwnedSocket> holders(Family family, const Endpoint &local) const;
    // LISTEN sockets on the port, whatever their address.
    std::vector<OwnedSocket> listeners() const;
    // Sockets whose local endpoint is `local` and remote endpoint `remote`.
    std::vector<OwnedSocket> connections(Family family, const Endpoint &local,
                                         const Endpoint &remote) const;
    const std::vector<OwnedSocket> &sockets() const { return m_sockets; }

private:
    std::uint16_t m_port = 0;
    std::vector<OwnedSocket> m_sockets;
};

// Whether two bound addresses overlap for bind(): equal, or a wildcard on one
// side; an IPv6 wildcard also covers IPv4 (dual stack, the Linux default), and
// IPv4-mapped IPv6 addresses compare as IPv4.
bool bindAddressesOverlap(Family a, const Endpoint &x, Family b, const Endpoint &y);

// Names the socket for a learner: "the CLOSE_WAIT connection 127.0.0.1:10001 →
// 127.0.0.1:9000 (pid 4242 sockscope, idle 1 min 13 s)", what keeps it alive and what
// ends it ("it goes away when that process closes it", "the kernel removes it
// in 42 s") with endsInMs when a kernel timer ends it.
Culprit describeCulprit(const OwnedSocket &socket);

} // namespace sockscope
