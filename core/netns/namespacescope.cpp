// SPDX-License-Identifier: GPL-3.0-or-later
#include "netns/namespacescope.h"

#include <cerrno>
#include <fcntl.h>
#include <QtGlobal>
#include <sched.h>
#include <sys/stat.h>
#include <utility>

namespace sockscope {

namespace {
thread_local NetworkNamespace t_entered;
} // namespace

NetworkNamespace NamespaceScope::entered()
{
    return t_entered;
}

Result<NamespaceScope> NamespaceScope::enter(const NetworkNamespace &target)
{
    NamespaceScope scope;
    if (!target.chosen())
        return scope;
    struct stat own = {};
    const int previous = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (previous < 0)
        return Error::fromErrno(errno, QStringLiteral("reading this thread's network namespace "
                                                      "(/proc/thread-self/ns/net)"));
    UniqueFd held(previous);
    if (::fstat(previous, &own) == 0 && own.st_ino == target.inode() &&
        own.st_dev == target.device())
        return scope; // already there: nothing to switch, nothing to undo
    if (::setns(target.fd(), CLONE_NEWNET) != 0) {
        const int errnum = errno;
        if (errnum == EPERM)
            return Error{errnum, QStringLiteral("entering another network namespace needs root "
                                                "(or CAP_SYS_ADMIN): run sockscope with sudo")};
        return Error::fromErrno(errnum, QStringLiteral("entering the network namespace"));
    }
    scope.m_previous = std::move(held);
    scope.m_outer = std::exchange(t_entered, target);
    return scope;
}

NamespaceScope::~NamespaceScope()
{
    if (!m_previous.valid())
        return;
    // Back to where the thread was: it entered the target with the same
    // privilege, so this fails only if the kernel took the privilege away.
    if (::setns(m_previous.get(), CLONE_NEWNET) != 0)
        qFatal("sockscope: could not return to this thread's own network namespace (errno %d)",
               errno);
    t_entered = std::move(m_outer);
}

} // namespace sockscope
