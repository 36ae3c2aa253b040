// SPDX-License-Identifier: GPL-3.0-or-later
// The sock_diag parser on whole receive buffers: the seeds are real dump
// datagrams (corpus/netlink, capture_corpus), the mutations reach truncated,
// oversized and unknown attributes, NLMSG_ERROR / NLMSG_DONE payloads and
// messages that claim another sequence or port.
#include "netlink/diagparser.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <linux/netlink.h>
#include <vector>

using namespace sockscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // A receive buffer is aligned for nlmsghdr; libFuzzer's input need not be.
    const std::vector<std::byte> buffer(reinterpret_cast<const std::byte *>(data),
                                        reinterpret_cast<const std::byte *>(data) + size);
    std::vector<SocketRecord> out;
    // Checks off, as for multicast notifications.
    (void)parseDumpBuffer(buffer, 0, 0, out);
    // Checks on, with the first message's own numbers: a reply to this request.
    if (size >= sizeof(nlmsghdr)) {
        nlmsghdr first;
        std::memcpy(&first, data, sizeof first);
        out.clear();
        (void)parseDumpBuffer(buffer, first.nlmsg_seq, first.nlmsg_pid, out);
        out.clear();
        (void)parseDumpBuffer(buffer, first.nlmsg_seq + 1, first.nlmsg_pid + 1, out);
    }
    // The same bytes as one message's payload.
    (void)parseInetDiagMessage(buffer);
    return 0;
}
