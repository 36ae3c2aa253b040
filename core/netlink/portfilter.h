// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <QByteArray>

namespace sockscope {

// inet_diag bytecode (INET_DIAG_REQ_BYTECODE) that accepts a socket when its
// source OR destination port equals `port`, so the kernel does the filtering.
QByteArray portFilterBytecode(std::uint16_t port);

} // namespace sockscope
