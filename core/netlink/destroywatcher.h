// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "netns/networknamespace.h"
#include "util/result.h"

#include <cstddef>
#include <memory>
#include <vector>

struct mnl_socket;

namespace sockscope {

// Listens to the sock_diag multicast groups SKNLGRP_INET_TCP_DESTROY and
// SKNLGRP_INET6_TCP_DESTROY: the kernel reports every TCP socket as it is
// destroyed, so connections shorter than a poll interval are still seen.
class DestroyWatcher
{
public:
    ~DestroyWatcher();
    DestroyWatcher(const DestroyWatcher &) = delete;
    DestroyWatcher &operator=(const DestroyWatcher &) = delete;

    // Joins both groups. Fails with EPERM where joining is refused: callers treat
    // that as "not available", not as fatal. (Current kernels let any user join,
    // sock_diag being NL_CFG_F_NONROOT_RECV; a sandbox or LSM may still refuse.)
    // `ns`: that network namespace's notices (default: the calling thread's).
    static Result<std::unique_ptr<DestroyWatcher>> open(const NetworkNamespace &ns = {});

    // The non-blocking descriptor to watch for readability.
    int fd() const;

    // Reads every pending notification without blocking. ENOBUFS (the kernel
    // dropped notifications because we were slow) does not fail the call: it is
    // counted in lostOverruns(). Other socket errors and malformed messages fail.
    Result<std::vector<SocketRecord>> readPending();
    int lostOverruns() const { return m_lost; }

private:
    explicit DestroyWatcher(mnl_socket *socket);
    mnl_socket *m_socket = nullptr;
    int m_lost = 0;
    std::vector<std::byte> m_buffer;
};

} // namespace sockscope
