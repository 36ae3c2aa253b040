// SPDX-License-Identifier: GPL-3.0-or-later
#include "events/segmentladder.h"

#include <algorithm>
#include <utility>

namespace sockscope {

QString segmentName(SegmentKind kind)
{
    switch (kind) {
    case SegmentKind::Syn:
        return QStringLiteral("SYN");
    case SegmentKind::SynAck:
        return QStringLiteral("SYN,ACK");
    case SegmentKind::Ack:
        return QStringLiteral("ACK");
    case SegmentKind::Fin:
        return QStringLiteral("FIN");
    case SegmentKind::Rst:
        return QStringLiteral("RST");
    }
    return QStringLiteral("ACK");
}

QString openRoleName(OpenRole role)
{
    switch (role) {
    case OpenRole::Client:
        return QStringLiteral("client");
    case OpenRole::Server:
        return QStringLiteral("server");
    case OpenRole::Unknown:
        break;
    }
    return {};
}

QString closeRoleName(CloseRole role)
{
    switch (role) {
    case CloseRole::Active:
        return QStringLiteral("active closer");
    case CloseRole::Passive:
        return QStringLiteral("passive closer");
    case CloseRole::Simultaneous:
        return QStringLiteral("simultaneous close");
    case CloseRole::None:
        break;
    }
    return {};
}

namespace {
using enum TcpState;

// What one end did on one step: received segments first, then the one it sent.
struct Exchange
{
    std::vector<SegmentKind> received;
    std::vector<SegmentKind> sent;
};

Exchange exchangeOf(const ConnectionStep &step)
{
    switch (step.kind) {
    case EventKind::ResetSent:
        return {{}, {SegmentKind::Rst}};
    case EventKind::ResetReceived:
        return {{SegmentKind::Rst}, {}};
    case EventKind::Gone:
        // The last ACK arrived; the kernel frees LAST_ACK's socket at once.
        if (step.from == LastAck)
            return {{SegmentKind::Ack}, {}};
        return {};
    case EventKind::Appeared:
    case EventKind::StateChanged:
        break;
    }
    const TcpState from = step.from;
    switch (step.to) {
    case SynSent:
        return {{}, {SegmentKind::Syn}};
    case SynRecv:
        return {{SegmentKind::Syn}, {SegmentKind::SynAck}};
    case Established:
        if (from == SynSent)
            return {{SegmentKind::SynAck}, {SegmentKind::Ack}};
        if (from == SynRecv)
            return {{SegmentKind::Ack}, {}};
        return {};
    case FinWait1:
        if (from == Established || from == SynRecv)
            return {{}, {SegmentKind::Fin}};
        return {};
    case CloseWait:
        return {{SegmentKind::Fin}, {SegmentKind::Ack}};
    case LastAck:
        return {{}, {SegmentKind::Fin}};
    case FinWait2:
        if (from == FinWait1)
            return {{SegmentKind::Ack}, {}};
        return {};
    case Closing:
        return {{SegmentKind::Fin}, {SegmentKind::Ack}};
    case TimeWait:
        if (from == FinWait2)
            return {{SegmentKind::Fin}, {SegmentKind::Ack}};
        if (from == Closing)
            return {{SegmentKind::Ack}, {}};
        if (from == FinWait1) // our FIN's ACK and the peer's FIN together
            return {{SegmentKind::Ack, SegmentKind::Fin}, {SegmentKind::Ack}};
        return {};
    default:
        return {};
    }
}

struct Half
{
    SegmentKind kind;
    std::int64_t timeNs; // -1: not known
    int step;            // index of the step it came from
    int pid = 0;
    QString command;
    int partner = -1; // index of the other end's half
};

struct SideSegments
{
    std::vector<Half> sent;
    std::vector<Half> received;
};

SideSegments segmentsOf(const QList<ConnectionStep> &steps)
{
    SideSegments side;
    for (int i = 0; i < steps.size(); ++i) {
        const ConnectionStep &step = steps[i];
        const Exchange exchange = exchangeOf(step);
        for (const SegmentKind kind : exchange.received)
            side.received.push_back(Half{kind, step.timeNs, i, 0, {}, -1});
        for (const SegmentKind kind : exchange.sent)
            side.sent.push_back(Half{kind, step.timeNs, i, step.pid, step.command, -1});
    }
    return side;
}

// Each direction is in order (TCP's sequence numbers): the n-th segment of a
// kind sent is the n-th of that kind received.
void pairUp(SideSegments &from, SideSegments &to)
{
    for (std::size_t s = 0; s < from.sent.size(); ++s) {
        for (std::size_t r = 0; r < to.received.size(); ++r) {
            Half &received = to.received[r];
            if (received.partner < 0 && received.kind == from.sent[s].kind) {
                received.partner = static_cast<int>(s);
                from.sent[s].partner = static_cast<int>(r);
                break;
            }
        }
    }
}

// Steps whose segment arrived before the step was reported: they happened
// earlier than their time says. Linux answers a SYN from a request socket and
// reports the connection's own socket's LISTEN -> SYN_RECV only once the
// handshake's ACK is in.
std::vector<int> lateSteps(const SideSegments &from, const SideSegments &to)
{
    std::vector<int> late;
    for (const Half &sent : from.sent) {
        if (sent.partner >= 0 &&
            to.received[static_cast<std::size_t>(sent.partner)].timeNs < sent.timeNs)
            late.push_back(sent.step);
    }
    return late;
}

void forgetTimes(SideSegments &side, const std::vector<int> &steps)
{
    for (std::vector<Half> *halves : {&side.sent, &side.received}) {
        for (Half &half : *halves) {
            if (std::find(steps.begin(), steps.end(), half.step) != steps.end())
                half.timeNs = -1;
        }
    }
}

void addSegments(const SideSegments &from, int sender, const SideSegments &to,
                 std::vector<LadderSegment> &out)
{
    for (const Half &sent : from.sent) {
        const std::int64_t received =
            sent.partner >= 0 ? to.received[static_cast<std::size_t>(sent.partner)].timeNs : -1;
        out.push_back(
            LadderSegment{sent.kind, sender, sent.timeNs, received, sent.pid, sent.command});
    }
    // Arrivals whose sending that end did not tell (or a remote peer).
    for (const Half &received : to.received) {
        if (received.partner < 0)
            out.push_back(LadderSegment{received.kind, sender, -1, received.timeNs, 0, {}});
    }
}

bool entered(const QList<ConnectionStep> &steps, TcpState from, TcpState to)
{
    return std::any_of(steps.cbegin(), steps.cend(), [&](const ConnectionStep &step) {
        return step.to == to && (from == Unknown || step.from == from);
    });
}

OpenRole openRoleOf(const QList<ConnectionStep> &steps)
{
    if (entered(steps, Unknown, SynSent))
        return OpenRole::Client;
    if (entered(steps, Unknown, SynRecv))
        return OpenRole::Server;
    return OpenRole::Unknown;
}

CloseRole closeRoleOf(const QList<ConnectionStep> &steps)
{
    if (entered(steps, FinWait1, Closing))
        return CloseRole::Simultaneous;
    if (entered(steps, Unknown, CloseWait))
        return CloseRole::Passive;
    if (entered(steps, Established, FinWait1) || entered(steps, SynRecv, FinWait1))
        return CloseRole::Active;
    return CloseRole::None;
}

// One end's role tells the other's when that end is silent (a remote peer).
template <typename Role> void completeRoles(std::array<Role, 2> &roles, Role none, Role a, Role b)
{
    for (int i = 0; i < 2; ++i) {
        Role &other = roles[static_cast<std::size_t>(1 - i)];
        const Role mine = roles[static_cast<std::size_t>(i)];
        if (other != none)
            continue;
        if (mine == a)
            other = b;
        else if (mine == b)
            other = a;
    }
}
} // namespace

SegmentLadder deriveLadder(const QList<ConnectionStep> &first, const QList<ConnectionStep> &second)
{
    SegmentLadder ladder;
    SideSegments sides[2] = {segmentsOf(first), segmentsOf(second)};
    pairUp(sides[0], sides[1]);
    pairUp(sides[1], sides[0]);
    const std::vector<int> late[2] = {lateSteps(sides[0], sides[1]), lateSteps(sides[1], sides[0])};
    forgetTimes(sides[0], late[0]);
    forgetTimes(sides[1], late[1]);
    addSegments(sides[0], 0, sides[1], ladder.segments);
    addSegments(sides[1], 1, sides[0], ladder.segments);
    // At one instant an end first receives, then answers (a step's order).
    std::stable_sort(ladder.segments.begin(), ladder.segments.end(),
                     [](const LadderSegment &a, const LadderSegment &b) {
                         const bool aSent = a.sentNs >= 0;
                         const bool bSent = b.sentNs >= 0;
                         return std::pair(a.timeNs(), aSent) < std::pair(b.timeNs(), bSent);
                     });
    ladder.open = {openRoleOf(first), openRoleOf(second)};
    ladder.close = {closeRoleOf(first), closeRoleOf(second)};
    completeRoles(ladder.open, OpenRole::Unknown, OpenRole::Client, OpenRole::Server);
    completeRoles(ladder.close, CloseRole::None, CloseRole::Active, CloseRole::Passive);
    if (ladder.close[0] == CloseRole::Simultaneous || ladder.close[1] == CloseRole::Simultaneous)
        ladder.close = {CloseRole::Simultaneous, CloseRole::Simultaneous};
    return ladder;
}

} // namespace sockscope
