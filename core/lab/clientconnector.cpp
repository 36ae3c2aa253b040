// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/clientconnector.h"

#include "lab/labsockets.h"
#include "util/monotonic.h"

#include <cerrno>
#include <poll.h>

namespace sockscope {

namespace {
using Operation = FailureContext::Operation;
constexpr std::size_t kConnectsBetweenAccepts = 16;

void fail(ConnectOutcome &outcome, int errnum, Operation operation)
{
    outcome.errnum = errnum;
    outcome.failedAt = operation;
    if (outcome.fd.valid() && operation != Operation::Bind)
        outcome.local = localEndpointOf(outcome.fd.get());
    outcome.fd.reset();
}

// Socket, options, bind, connect: true while the connect is in flight.
bool startConnect(const ClientSpec &spec, const SockAddress &remote, ConnectOutcome &outcome)
{
    const int domain = spec.family == Family::IPv6 ? AF_INET6 : AF_INET;
    outcome.fd.reset(::socket(domain, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!outcome.fd.valid()) {
        fail(outcome, errno, Operation::Socket);
        return false;
    }
    const int fd = outcome.fd.get();
    if (spec.reuseAddr && !setSocketFlag(fd, SOL_SOCKET, SO_REUSEADDR)) {
        fail(outcome, errno, Operation::Socket);
        return false;
    }
    if (spec.local) {
        outcome.local = *spec.local;
        const SockAddress local = makeSockAddress(spec.family, *spec.local);
        if (::bind(fd, local.data(), local.length) != 0) {
            fail(outcome, errno, Operation::Bind);
            return false;
        }
    }
    if (::connect(fd, remote.data(), remote.length) == 0)
        return false; // connected at once
    if (errno == EINPROGRESS)
        return true;
    fail(outcome, errno, Operation::Connect);
    return false;
}
} // namespace

std::vector<ConnectOutcome> connectMany(const ClientSpec &spec, std::vector<SideWatch> sideWatches)
{
    std::vector<ConnectOutcome> outcomes(static_cast<std::size_t>(spec.count));
    const SockAddress remote = makeSockAddress(spec.family, spec.remote);
    // The pending connects, then the side watches (fd -1 once they asked to stop).
    std::vector<pollfd> fds;
    std::vector<std::size_t> pendingIndex;
    const std::int64_t deadline = monotonicMs() + spec.timeoutMs;
    std::vector<pollfd> side;
    for (const SideWatch &watch : sideWatches)
        side.push_back(pollfd{watch.fd, POLLIN, 0});
    const auto serviceSide = [&] {
        if (side.empty() || ::poll(side.data(), side.size(), 0) <= 0)
            return;
        for (std::size_t s = 0; s < side.size(); ++s) {
            if (side[s].revents != 0 && !sideWatches[s].ready())
                side[s].fd = -1;
        }
    };
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        if (startConnect(spec, remote, outcomes[i])) {
            fds.push_back(pollfd{outcomes[i].fd.get(), POLLOUT, 0});
            pendingIndex.push_back(i);
        }
        // On loopback the handshake completes inside connect(): let our own
        // listeners accept between connects, or a burst larger than their
        // backlog overflows the accept queue (with SYN cookies on, the kernel
        // then drops the final ACK and the client is left ESTABLISHED alone).
        if (i % kConnectsBetweenAccepts == kConnectsBetweenAccepts - 1)
            serviceSide();
    }
    while (!pendingIndex.empty()) {
        const std::int64_t left = deadline - monotonicMs();
        if (left <= 0)
            break;
        const std::size_t pending = pendingIndex.size();
        fds.resize(pending);
        fds.insert(fds.end(), side.begin(), side.end());
        const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left));
        if (ready < 0 && errno != EINTR)
            break;
        for (std::size_t s = 0; s < side.size(); ++s) {
            if (fds[pending + s].revents != 0 && !sideWatches[s].ready())
                side[s].fd = -1;
        }
        std::size_t kept = 0;
        for (std::size_t p = 0; p < pending; ++p) {
            if (fds[p].revents == 0) {
                fds[kept] = fds[p];
                pendingIndex[kept] = pendingIndex[p];
                ++kept;
                continue;
            }
            ConnectOutcome &outcome = outcomes[pendingIndex[p]];
            int error = 0;
            socklen_t length = sizeof error;
            if (::getsockopt(outcome.fd.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0)
                error = errno;
            if (error != 0)
                fail(outcome, error, Operation::Connect);
        }
        pendingIndex.resize(kept);
    }
    for (const std::size_t index : pendingIndex)
        fail(outcomes[index], ETIMEDOUT, Operation::Connect);
    for (ConnectOutcome &outcome : outcomes) {
        if (outcome.connected())
            outcome.local = localEndpointOf(outcome.fd.get());
    }
    return outcomes;
}

} // namespace sockscope
