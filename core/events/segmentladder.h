// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/connectionhistory.h"

#include <array>
#include <cstdint>
#include <QList>
#include <QString>
#include <vector>

namespace sockscope {

enum class SegmentKind : std::uint8_t
{
    Syn,
    SynAck,
    Ack,
    Fin,
    Rst
};
QString segmentName(SegmentKind kind); // "SYN", "SYN,ACK", "ACK", "FIN", "RST"

// One segment between the two ends of a connection. Its times are the
// transitions it shows in: the sender's that sent it, the receiver's that it
// caused; -1 where that end is not seen (a remote peer) or did not tell.
struct LadderSegment
{
    SegmentKind kind = SegmentKind::Ack;
    int sender = 0; // 0 or 1: index into the ladder's sides
    std::int64_t sentNs = -1;
    std::int64_t receivedNs = -1;
    // The process whose call sent it (connect(), close()...), when traced.
    int pid = 0;
    QString command;
    std::int64_t timeNs() const { return sentNs >= 0 ? sentNs : receivedNs; }
};

enum class OpenRole : std::uint8_t
{
    Unknown,
    Client, // sent the SYN
    Server  // answered it
};
enum class CloseRole : std::uint8_t
{
    None,
    Active,      // sent the first FIN
    Passive,     // received it first, closed after
    Simultaneous // both sent FIN before seeing the other's
};
// "client", "server", "active closer", "passive closer", "simultaneous close"; "" for none.
QString openRoleName(OpenRole role);
QString closeRoleName(CloseRole role);

struct SegmentLadder
{
    std::vector<LadderSegment> segments; // in time order
    std::array<OpenRole, 2> open{OpenRole::Unknown, OpenRole::Unknown};
    std::array<CloseRole, 2> close{CloseRole::None, CloseRole::None};
};

// The segments two ends' transitions imply, after RFC 9293 and Linux:
// SYN_SENT sent a SYN; SYN_RECV received it and sent SYN,ACK; SYN_SENT ->
// ESTABLISHED received that and sent the ACK; SYN_RECV -> ESTABLISHED
// received it. ESTABLISHED -> FIN_WAIT1 (or CLOSE_WAIT -> LAST_ACK) sent a
// FIN; -> CLOSE_WAIT, FIN_WAIT1 -> CLOSING and -> TIME_WAIT received one and
// sent its ACK; FIN_WAIT1 -> FIN_WAIT2, CLOSING -> TIME_WAIT and LAST_ACK's
// end received that ACK. Resets come from their own events. A segment sent
// by one side is matched to the same kind received by the other, in order;
// a step reported after its segment arrived (Linux's SYN_RECV, see the .cpp)
// loses its time for the ladder.
// `second` empty: the other end is a remote peer; what this end received is
// drawn as sent by it, with no time.
SegmentLadder deriveLadder(const QList<ConnectionStep> &first,
                           const QList<ConnectionStep> &second = {});

} // namespace sockscope
