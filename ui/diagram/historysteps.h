// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"

#include <cstdint>
#include <QList>
#include <QString>

namespace sockscope {

class DiagramLayout;

// One change of state in a connection's history, as the diagram steps it.
struct HistoryStep
{
    TcpState from = TcpState::Unknown;
    TcpState to = TcpState::Unknown;
    std::int64_t atMs = 0; // since the connection's first observed state
    QList<int> edges;      // the figure's edges it took; empty when the figure has none
    QString how;           // the edge's "event / action" when it took one edge, else empty
};

// A connection's history as numbered steps: step 0 is its first observed
// state, step n (1..count) the n-th change of state after it.
class HistorySteps
{
public:
    HistorySteps() = default;
    HistorySteps(const QList<StateSpan> &history, const DiagramLayout &layout);

    bool isEmpty() const { return m_history.isEmpty(); }
    // The number of changes; 0 for a connection seen in one state only.
    int count() const { return static_cast<int>(m_steps.size()); }
    // Step n (1..count).
    const HistoryStep &at(int step) const { return m_steps.at(step - 1); }
    TcpState firstState() const;
    // The state the connection is in after step n (0..count).
    TcpState stateAfter(int step) const;
    // Whether the connection has left the last state too (it is gone).
    bool ended() const { return !m_history.isEmpty() && m_history.last().leftMs >= 0; }

    // "step 3 of 7: FIN_WAIT1 → FIN_WAIT2 at +12 ms · rcv ACK of FIN"; step 0
    // names the first state.
    QString caption(int step) const;

private:
    QList<StateSpan> m_history;
    QList<HistoryStep> m_steps;
};

} // namespace sockscope
