// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/result.h"
#include "util/uniquefd.h"

#include <cstdint>
#include <memory>
#include <QString>
#include <sys/types.h>

namespace sockscope {

// A network namespace chosen by the user, held open (an nsfs descriptor), so
// that it stays the same namespace however long it is shown. Default: none
// chosen, i.e. the namespace the calling thread is in (no switch at all).
// Copies share the descriptor.
class NetworkNamespace
{
public:
    NetworkNamespace() = default;

    // NAME (an `ip netns` name: /run/netns/NAME), PID (/proc/PID/ns/net) or a
    // PATH to an nsfs file. Fails with a message naming the problem and the
    // fix: an unknown name (listing the names there are), a process that is
    // gone, a file that is not a network namespace, or no permission to enter
    // it (root or CAP_SYS_ADMIN). Entering is tried once, so a namespace that
    // resolves can be used.
    static Result<NetworkNamespace> resolve(const QString &spec,
                                            const QString &namedRoot = kNamedRoot);
    // Takes an nsfs descriptor already open (checked like resolve()'s).
    static Result<NetworkNamespace> fromDescriptor(UniqueFd fd, const QString &spec);

    bool chosen() const { return m_fd != nullptr; }
    int fd() const { return m_fd ? m_fd->get() : -1; }
    // The namespace's inode (what /proc/PID/ns/net shows as net:[INODE] and
    // what the trace filters on) and the nsfs device; 0 when none was chosen.
    std::uint64_t inode() const { return m_inode; }
    dev_t device() const { return m_device; }
    // What the user gave (a name, a pid, a path); empty when none was chosen.
    const QString &spec() const { return m_spec; }
    // "netns:INODE" (stable while the namespace lives), for per-namespace settings.
    QString key() const;
    // `ip ARGUMENTS` as a user runs it in this namespace from a shell: `ip -n
    // NAME ...` for an `ip netns` name, `nsenter --net=PATH ip ...` for a pid
    // or a path, plain `ip ...` when none was chosen.
    QString ipCommand(const QString &arguments) const;

    static inline const QString kNamedRoot = QStringLiteral("/run/netns");

private:
    std::shared_ptr<UniqueFd> m_fd;
    std::uint64_t m_inode = 0;
    dev_t m_device = 0;
    QString m_spec;
};

// The inode of the network namespace the calling thread is in now.
std::uint64_t currentNetworkNamespaceInode();

} // namespace sockscope
