// SPDX-License-Identifier: GPL-3.0-or-later
#include "rawdiag.h"

#include <cerrno>
#include <cstdint>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace sockscope::test {

// One TCPDIAG_GETSOCK request for both families, as DiagClient sends it: one
// walk of the kernel's TCP hash tables (SOCK_DIAG_BY_FAMILY walks them once
// per family, which would make a floor twice too high).
long rawDumpCount()
{
    const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0)
        return -1;
    static std::vector<char> buffer(64 * 1024); // allocated once: the floor allocates nothing
    struct
    {
        nlmsghdr header;
        inet_diag_req request;
    } message{};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = TCPDIAG_GETSOCK;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.header.nlmsg_seq = 1;
    message.request.idiag_family = AF_INET;
    message.request.idiag_states = ~0u;
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd, &message, sizeof message, 0, reinterpret_cast<sockaddr *>(&kernel),
                 sizeof kernel) < 0) {
        ::close(fd);
        return -1;
    }
    long count = 0;
    for (bool done = false; !done;) {
        const ssize_t length = ::recv(fd, buffer.data(), buffer.size(), 0);
        if (length < 0 && errno == EINTR)
            continue;
        if (length <= 0) {
            ::close(fd);
            return -1;
        }
        int remaining = static_cast<int>(length);
        for (auto *header = reinterpret_cast<nlmsghdr *>(buffer.data());
             NLMSG_OK(header, remaining); header = NLMSG_NEXT(header, remaining)) {
            if (header->nlmsg_type == NLMSG_DONE || header->nlmsg_type == NLMSG_ERROR)
                done = true;
            else if (header->nlmsg_type == TCPDIAG_GETSOCK)
                ++count;
        }
    }
    ::close(fd);
    return count;
}

} // namespace sockscope::test
