// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "netns/networknamespace.h"
#include "util/result.h"
#include "util/uniquefd.h"

#include <optional>
#include <utility>

namespace sockscope {

// The calling thread inside a network namespace for the life of the scope,
// then back where it was. What is created inside stays bound to that
// namespace (a netlink socket, an inet socket, a /proc/thread-self/net
// file), while the thread itself goes on in its own. The one place SockScope
// switches namespaces.
class NamespaceScope
{
public:
    // A namespace not chosen (or the one the thread is in) needs no switch and
    // no privilege. Fails with EPERM and a message naming the fix.
    static Result<NamespaceScope> enter(const NetworkNamespace &target);

    // The namespace the calling thread was moved into by the innermost scope
    // still open on it (none chosen when it is in its own): what a message
    // such as "loopback is down" names, so its fix reaches the right one.
    static NetworkNamespace entered();

    NamespaceScope(NamespaceScope &&other) noexcept = default;
    NamespaceScope &operator=(NamespaceScope &&) = delete;
    NamespaceScope(const NamespaceScope &) = delete;
    NamespaceScope &operator=(const NamespaceScope &) = delete;
    ~NamespaceScope();

private:
    NamespaceScope() = default;
    UniqueFd m_previous;      // invalid: nothing to undo
    NetworkNamespace m_outer; // entered() before this scope, restored with m_previous
};

// Runs make() inside `target` and returns what it returned; an Error when the
// namespace cannot be entered. make returns a Result<T>.
template <typename Make> auto insideNamespace(const NetworkNamespace &target, Make &&make)
{
    auto scope = NamespaceScope::enter(target);
    using Made = decltype(make());
    if (!scope)
        return Made(scope.error());
    return Made(make());
}

} // namespace sockscope
