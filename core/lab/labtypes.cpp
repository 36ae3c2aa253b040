// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/labtypes.h"

#include <array>
#include <utility>

namespace sockscope {

namespace {
// One table per enum: the names the console, the events and the child's
// arguments use, so parsing and printing can never disagree.
template <typename Enum, std::size_t N>
QString nameIn(const std::array<std::pair<Enum, const char *>, N> &table, Enum value)
{
    for (const auto &[candidate, name] : table) {
        if (candidate == value)
            return QString::fromLatin1(name);
    }
    return QStringLiteral("?");
}

template <typename Enum, std::size_t N>
std::optional<Enum> valueIn(const std::array<std::pair<Enum, const char *>, N> &table,
                            const QString &name)
{
    for (const auto &[value, candidate] : table) {
        if (name.compare(QLatin1String(candidate), Qt::CaseInsensitive) == 0)
            return value;
    }
    return std::nullopt;
}

constexpr std::array<std::pair<AcceptMode, const char *>, 4> kAcceptModes{{
    {AcceptMode::Auto, "auto"},
    {AcceptMode::Pause, "pause"},
    {AcceptMode::Close, "close"},
    {AcceptMode::Hold, "hold"},
}};

constexpr std::array<std::pair<ClosePolicy, const char *>, 5> kClosePolicies{{
    {ClosePolicy::Keep, "keep"},
    {ClosePolicy::Close, "close"},
    {ClosePolicy::HalfClose, "half-close"},
    {ClosePolicy::Reset, "reset"},
    {ClosePolicy::NeverClose, "never-close"},
}};

constexpr std::array<std::pair<AcceptErrorPolicy, const char *>, 3> kErrorPolicies{{
    {AcceptErrorPolicy::Spin, "spin"},
    {AcceptErrorPolicy::Backoff, "backoff"},
    {AcceptErrorPolicy::Cap, "cap"},
}};

constexpr std::array<std::pair<ClientPhase, const char *>, 6> kClientPhases{{
    {ClientPhase::Connected, "connected"},
    {ClientPhase::Failed, "failed"},
    {ClientPhase::PeerClosed, "peer-closed"},
    {ClientPhase::HalfClosed, "half-closed"},
    {ClientPhase::Closed, "closed"},
    {ClientPhase::Reset, "reset"},
}};

constexpr std::array<std::pair<AcceptLoop, const char *>, 2> kAcceptLoops{{
    {AcceptLoop::EventLoop, "event-loop"},
    {AcceptLoop::Thread, "thread"},
}};

constexpr std::array<std::pair<StopMode, const char *>, 2> kStopModes{{
    {StopMode::Naive, "naive"},
    {StopMode::Graceful, "graceful"},
}};
} // namespace

QString acceptModeName(AcceptMode mode)
{
    return nameIn(kAcceptModes, mode);
}

QString closePolicyName(ClosePolicy policy)
{
    return nameIn(kClosePolicies, policy);
}

QString acceptErrorPolicyName(AcceptErrorPolicy policy)
{
    return nameIn(kErrorPolicies, policy);
}

std::optional<AcceptMode> acceptModeFromName(const QString &name)
{
    return valueIn(kAcceptModes, name);
}

std::optional<ClosePolicy> closePolicyFromName(const QString &name)
{
    if (name.compare(QLatin1String("never-close-on-eof"), Qt::CaseInsensitive) == 0)
        return ClosePolicy::NeverClose;
    return valueIn(kClosePolicies, name);
}

std::optional<AcceptErrorPolicy> acceptErrorPolicyFromName(const QString &name)
{
    return valueIn(kErrorPolicies, name);
}

QString acceptLoopName(AcceptLoop loop)
{
    return nameIn(kAcceptLoops, loop);
}

QString stopModeName(StopMode mode)
{
    return nameIn(kStopModes, mode);
}

std::optional<StopMode> stopModeFromName(const QString &name)
{
    return valueIn(kStopModes, name);
}

QString clientPhaseName(ClientPhase phase)
{
    return nameIn(kClientPhases, phase);
}

} // namespace sockscope
