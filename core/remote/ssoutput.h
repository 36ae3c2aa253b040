// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "owners/ownerinfo.h"

#include <QByteArrayView>
#include <QString>
#include <vector>

namespace sockscope {

// One socket of `ss -tanoeiHp` output: what the fallback over ssh reads where
// the server has no sockscope. ss gives neither nanosecond times nor transitions,
// only the state at each run.
struct SsSocket
{
    SocketRecord record;
    OwnerLookup owner;
};

struct SsParse
{
    std::vector<SsSocket> sockets;
    // Lines that were not a socket, for the message saying the output changed.
    int skippedLines = 0;
    QString firstSkipped;
};

// Parses one run's output (lines of `ss -tanoeiHp`: a socket line, then its
// indented tcp_info line when present). Never fails: a line it cannot read is
// counted and skipped.
SsParse parseSsOutput(QByteArrayView text);

} // namespace sockscope
