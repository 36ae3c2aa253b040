// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "util/result.h"

namespace sockscope {

struct HostPort
{
    Family family = Family::IPv4;
    Endpoint endpoint;
};

// Parses "127.0.0.1:9000", "[::1]:9000", "0.0.0.0:0", "localhost:9000" (IPv4
// loopback), "*:9000" (IPv4 any) and ":9000" (IPv4 any). Numeric addresses
// only otherwise: the lab never resolves names. The Error names what was wrong.
Result<HostPort> parseHostPort(const QString &text);

} // namespace sockscope
