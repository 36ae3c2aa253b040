// SPDX-License-Identifier: GPL-3.0-or-later
#include "console/specparsers.h"

namespace sockscope {

Status parseListenSpec(ConsoleTokens &t, ListenerSpec &spec)
{
    auto address = t.address(QStringLiteral("listen address"));
    if (!address)
        return address.error();
    spec.family = address->family;
    spec.local = address->endpoint;
    return t.options([&](const QString &key) -> Result<bool> {
        if (reuseFlag(key, spec.reuseAddr, spec.reusePort))
            return true;
        if (key == QLatin1String("thread")) {
            spec.loop = AcceptLoop::Thread;
            return true;
        }
        if (key == QLatin1String("backlog"))
            return store(t.number(QStringLiteral("backlog"), 0, 65535), spec.backlog);
        if (key == QLatin1String("accept")) {
            const auto mode = acceptModeFromName(t.take());
            if (!mode)
                return t.error(QStringLiteral("accept takes auto, pause, close or hold"));
            spec.accept = *mode;
            return true;
        }
        return false;
    });
}

Status parseClientSpec(ConsoleTokens &t, ClientSpec &spec)
{
    auto remote = t.address(QStringLiteral("remote address"));
    if (!remote)
        return remote.error();
    if (remote->endpoint.port == 0)
        return t.error(QStringLiteral("connect needs a port from 1 to 65535"));
    spec.family = remote->family;
    spec.remote = remote->endpoint;
    const Status parsed = t.options([&](const QString &key) -> Result<bool> {
        if (key == QLatin1String("reuseaddr")) {
            spec.reuseAddr = true;
            return true;
        }
        if (key == QLatin1String("from")) {
            auto local = t.address(QStringLiteral("local address"));
            if (!local)
                return local.error();
            if (local->family != remote->family)
                return t.error(
                    QStringLiteral("from and the remote address must be the same family"));
            spec.local = local->endpoint;
            return true;
        }
        if (key == QLatin1String("count"))
            return store(t.number(QStringLiteral("count"), 1, 10000), spec.count);
        if (key == QLatin1String("after"))
            return store(t.number(QStringLiteral("after"), 0, 3600000), spec.closeDelayMs);
        if (key == QLatin1String("timeout"))
            return store(t.number(QStringLiteral("timeout"), 1, 600000), spec.timeoutMs);
        if (key == QLatin1String("then")) {
            const auto policy = closePolicyFromName(t.take());
            if (!policy)
                return t.error(
                    QStringLiteral("then takes keep, close, half-close, reset or never-close"));
            spec.then = *policy;
            return true;
        }
        return false;
    });
    if (!parsed)
        return parsed;
    if (spec.local && spec.local->port != 0 && spec.count > 1)
        return t.error(QStringLiteral("a fixed local port allows one connection: drop count"));
    return Ok{};
}

Status parseServerSpec(ConsoleTokens &t, ServerSpec &spec)
{
    auto address = t.address(QStringLiteral("listen address"));
    if (!address)
        return address.error();
    spec.family = address->family;
    spec.local = address->endpoint;
    return t.options([&](const QString &key) -> Result<bool> {
        if (reuseFlag(key, spec.reuseAddr, spec.reusePort))
            return true;
        if (key == QLatin1String("nofile"))
            return store(t.number(QStringLiteral("nofile"), 0, 1048576), spec.nofile);
        if (key != QLatin1String("policy"))
            return false;
        const QString policy = t.take().toLower();
        if (policy == QLatin1String("spin")) {
            spec.policy = AcceptErrorPolicy::Spin;
        } else if (policy == QLatin1String("backoff")) {
            spec.policy = AcceptErrorPolicy::Backoff;
        } else if (policy == QLatin1String("cap")) {
            spec.policy = AcceptErrorPolicy::Cap;
            return store(t.number(QStringLiteral("cap"), 1, 1000000), spec.cap);
        } else {
            return t.error(QStringLiteral("policy takes spin, backoff or cap N"));
        }
        return true;
    });
}

} // namespace sockscope
