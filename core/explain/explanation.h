// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "owners/ownerinfo.h"

#include <cstdint>
#include <optional>
#include <QList>
#include <QString>

namespace sockscope {

// A live socket that explains a failure: "the CLOSE_WAIT connection
// 127.0.0.1:10001 -> 127.0.0.1:9000 (pid 4242, idle 73 s)".
struct Culprit
{
    SocketRecord socket;
    OwnerLookup owner;
    QString description; // the phrase above
    QString whenItEnds;  // "it goes away when that process closes it", "in 42 s (TIME_WAIT)"
    std::optional<std::int64_t>
        endsInMs; // when a kernel timer ends it; nullopt: only a process can
};

// errno's name, one sentence of what it means here, and the sockets responsible.
struct Explanation
{
    int errnum = 0;
    QString errnoName; // "EADDRINUSE"
    QString summary;   // one sentence about this failure in this context
    QList<Culprit> culprits;
    QString note; // e.g. "the kernel does not report SO_REUSEADDR of other processes' sockets"

    // "EADDRINUSE: 127.0.0.1:10001 is still held by the CLOSE_WAIT connection ...; it goes
    // away when that process closes it": one line, the form the console prints.
    QString text() const;
};

} // namespace sockscope
