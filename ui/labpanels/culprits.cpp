// SPDX-License-Identifier: GPL-3.0-or-later
#include "labpanels/culprits.h"

#include <algorithm>

namespace sockscope {

SocketFocus focusOf(const QList<Culprit> &culprits)
{
    SocketFocus focus;
    if (culprits.isEmpty())
        return focus;
    for (const Culprit &culprit : culprits)
        focus.cookies << culprit.socket.cookie;
    const auto allShare = [&culprits](auto portOf) {
        const std::uint16_t first = portOf(culprits.first().socket);
        return std::all_of(culprits.begin(), culprits.end(),
                           [&](const Culprit &c) { return portOf(c.socket) == first; })
                   ? std::optional<std::uint16_t>(first)
                   : std::nullopt;
    };
    // Culprits come from a dump filtered on the port that failed, so they
    // normally share their local port; a connection seen from its peer's side
    // shares the remote one. Otherwise the ports pane would hide some of them.
    focus.port = allShare([](const SocketRecord &s) { return s.local.port; });
    if (!focus.port)
        focus.port = allShare([](const SocketRecord &s) { return s.remote.port; });
    return focus;
}

QString connectionText(const SocketRecord &socket)
{
    if (socket.state == TcpState::Listen || socket.remote.port == 0)
        return socket.local.text(socket.family);
    return socket.local.text(socket.family) + QStringLiteral(" → ") +
           socket.remote.text(socket.family);
}

} // namespace sockscope
