// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "explain/explanation.h"
#include "owners/ownerinfo.h"

#include <cstdint>
#include <optional>
#include <QList>
#include <QString>

namespace sockscope {

// What the window needs to select the sockets an explanation blames: the port
// whose row holds them all (the one they share, locally first) and their cookies.
struct SocketFocus
{
    std::optional<std::uint16_t> port;
    QList<std::uint64_t> cookies;
    bool isEmpty() const { return cookies.isEmpty(); }
};
SocketFocus focusOf(const QList<Culprit> &culprits);

// "127.0.0.1:9000" for a LISTEN socket, "127.0.0.1:10001 → 127.0.0.1:9000" otherwise.
QString connectionText(const SocketRecord &socket);

} // namespace sockscope
