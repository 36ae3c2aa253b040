// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "util/result.h"

#include <cstddef>
#include <span>

namespace sockscope {

// Decodes one SOCK_DIAG_BY_FAMILY message payload (struct inet_diag_msg and its
// attributes: INET_DIAG_INFO for tcp_info, others skipped). Never reads outside
// `payload`; a payload shorter than inet_diag_msg or an attribute whose length
// runs past the end is an Error (errnum 0 / EBADMSG) naming what was wrong.
// Unknown attributes are skipped: newer kernels add them.
Result<SocketRecord> parseInetDiagMessage(std::span<const std::byte> payload);

} // namespace sockscope
