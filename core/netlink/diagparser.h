// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "util/result.h"

#include <cstddef>
#include <span>
#include <vector>

namespace sockscope {

// Decodes one SOCK_DIAG_BY_FAMILY message payload (struct inet_diag_msg and its
// attributes: INET_DIAG_INFO for tcp_info, others skipped). Never reads outside
// `payload`; a payload shorter than inet_diag_msg or an attribute whose length
// runs past the end is an Error (EBADMSG) naming what was wrong, an address
// family other than AF_INET / AF_INET6 is EAFNOSUPPORT.
// Unknown attributes are skipped: newer kernels add them.
Result<SocketRecord> parseInetDiagMessage(std::span<const std::byte> payload);

// Where a dump stands after one received buffer.
enum class DumpProgress
{
    More,        // no NLMSG_DONE yet: receive again
    Done,        // NLMSG_DONE (or an ACK) ended the reply
    Interrupted, // the kernel flagged NLM_F_DUMP_INTR: what was read is inconsistent, dump again
};

// Walks every netlink message in `buffer` (one datagram of a sock_diag reply or
// notification) with libmnl's checks and appends each decoded socket to `out`.
// `sequence` / `portId` 0 disable the matching checks (multicast notifications
// carry neither). Messages of other types are skipped.
// Fails with the kernel's errno for NLMSG_ERROR or a negative NLMSG_DONE status,
// ESRCH for a message from another netlink port, EPROTO for a reply to another
// request, EBADMSG for a truncated message or a malformed payload. On failure or
// Interrupted, `out` may hold records of this buffer that came before the problem.
Result<DumpProgress> parseDumpBuffer(std::span<const std::byte> buffer, unsigned sequence,
                                     unsigned portId, std::vector<SocketRecord> &out);

} // namespace sockscope
