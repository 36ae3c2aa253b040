// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/socketmetrics.h"

#include "metrics/socketaggregate.h"

namespace sockscope {

void SocketMetrics::applyBatch(const PollBatch &batch)
{
    for (const SocketEvent &event : batch.events) {
        if (event.source == EventSource::Trace)
            countTraced(event);
    }
    m_live.apply(batch.events, batch.updated);
    m_stats = batch.stats;
    ++m_batches;
}

// Only the trace sees every transition; a poll's guesses would count some
// and miss others, so they are left out rather than mixed in.
void SocketMetrics::countTraced(const SocketEvent &event)
{
    switch (event.kind) {
    case EventKind::ResetSent:
        ++m_resetsSent;
        break;
    case EventKind::ResetReceived:
        ++m_resetsReceived;
        break;
    case EventKind::StateChanged:
        ++m_transitions[{event.from, event.to}];
        break;
    case EventKind::Appeared: // a listener's clone (LISTEN -> SYN_RECV), connect()
        if (event.from != TcpState::Unknown)
            ++m_transitions[{event.from, event.to}];
        break;
    case EventKind::Gone: // the kernel's move to CLOSE
        ++m_transitions[{event.from, TcpState::Close}];
        break;
    }
}

namespace {
QByteArray portLabel(int port)
{
    return port == SocketAggregate::kOtherPort ? QByteArrayLiteral("other")
                                               : QByteArray::number(port);
}

QByteArray stateLabel(TcpState state)
{
    return QByteArray(tcpStateCName(state));
}

MetricFamily gauge(const char *name, const char *help, double value)
{
    return MetricFamily{name, help, MetricType::Gauge, {MetricSample{{}, value}}};
}

MetricFamily perPort(const char *name, const char *help)
{
    return MetricFamily{name, help, MetricType::Gauge, {}};
}

void addPortSample(MetricFamily &family, int port, double value)
{
    family.samples.push_back(MetricSample{{{"port", portLabel(port)}}, value});
}
} // namespace

std::vector<MetricFamily> SocketMetrics::families(std::int64_t nowMs) const
{
    const SocketAggregate aggregate =
        aggregateSockets(m_live.connections(), m_stats.ephemeralPortStart, m_maxPorts, nowMs);
    MetricFamily sockets =
        perPort("sockscope_tcp_sockets",
                "TCP sockets per kernel state and local port (port label other: ephemeral ports "
                "nothing listens on, and ports past the --max-ports cap).");
    MetricFamily queue = perPort("sockscope_tcp_accept_queue_length",
                                 "Connections waiting in the accept queue of the port's "
                                 "listening sockets (summed over them).");
    MetricFamily backlog = perPort("sockscope_tcp_accept_queue_backlog",
                                   "The accept queue's limit (listen() backlog, capped by "
                                   "net.core.somaxconn) of the port's listening sockets, summed.");
    MetricFamily closeWaitAge =
        perPort("sockscope_tcp_close_wait_oldest_age_seconds",
                "How long the port's oldest CLOSE_WAIT socket has been in that state: the peer "
                "closed and the process owning it has not (a leak grows this).");
    for (const auto &[port, figures] : aggregate.ports) {
        for (int state = 1; state < kTcpStateCount; ++state) {
            if (figures.sockets[state] == 0)
                continue;
            sockets.samples.push_back(MetricSample{
                {{"state", stateLabel(static_cast<TcpState>(state))}, {"port", portLabel(port)}},
                static_cast<double>(figures.sockets[state])});
        }
        if (figures.listening) {
            addPortSample(queue, port, static_cast<double>(figures.acceptQueueLength));
            addPortSample(backlog, port, static_cast<double>(figures.acceptQueueBacklog));
        }
        if (figures.oldestCloseWaitSeconds >= 0)
            addPortSample(closeWaitAge, port, figures.oldestCloseWaitSeconds);
    }
    MetricFamily transitions{"sockscope_tcp_transitions_total",
                             "TCP state transitions the kernel's tracepoints reported since "
                             "the exporter started (none without tracing).",
                             MetricType::Counter,
                             {}};
    for (const auto &[change, count] : m_transitions) {
        transitions.samples.push_back(
            MetricSample{{{"from", stateLabel(change.first)}, {"to", stateLabel(change.second)}},
                         static_cast<double>(count)});
    }
    MetricFamily resets{"sockscope_tcp_resets_total",
                        "TCP resets sent and received, from the kernel's tracepoints.",
                        MetricType::Counter,
                        {MetricSample{{{"direction", "received"}}, double(m_resetsReceived)},
                         MetricSample{{{"direction", "sent"}}, double(m_resetsSent)}}};
    return {
        std::move(sockets),
        std::move(queue),
        std::move(backlog),
        std::move(closeWaitAge),
        gauge("sockscope_port_series_capped",
              "1 when more ports had their own label than --max-ports allows and the rest were "
              "summed into the port label other.",
              aggregate.capped ? 1 : 0),
        gauge("sockscope_tcp_orphaned_sockets",
              "Sockets no process holds any more that are still closing (FIN_WAIT1, FIN_WAIT2, "
              "LAST_ACK, CLOSING without an inode); TIME_WAIT excluded.",
              double(aggregate.orphaned)),
        gauge("sockscope_tcp_time_wait_sockets", "TIME_WAIT sockets in all.",
              double(aggregate.timeWait)),
        gauge("sockscope_tcp_time_wait_max_per_remote",
              "The most TIME_WAIT sockets sharing one remote address and port: outgoing "
              "connections to that server fail once this nears sockscope_ephemeral_ports.",
              double(aggregate.timeWaitMaxPerRemote)),
        gauge("sockscope_ephemeral_ports",
              "Ports in net.ipv4.ip_local_port_range, the kernel's choice for outgoing "
              "connections.",
              double(m_stats.ephemeralPortEnd - m_stats.ephemeralPortStart + 1)),
        std::move(transitions),
        std::move(resets),
        gauge("sockscope_tracing",
              "1 when transitions come from the kernel's tracepoints, 0 when only polled.",
              m_stats.tracing ? 1 : 0),
        MetricFamily{"sockscope_trace_dropped_events_total",
                     "Traced events lost: the kernel's ring buffer was full (reason "
                     "buffer_full), or the kernel skipped the program, already running on "
                     "that CPU (reason skipped).",
                     MetricType::Counter,
                     {MetricSample{{{"reason", "buffer_full"}}, double(m_stats.traceDrops)},
                      MetricSample{{{"reason", "skipped"}}, double(m_stats.traceSkipped)}}},
        gauge("sockscope_poll_duration_seconds",
              "How long the last full sock_diag poll (dump and owners) took.",
              double(m_stats.totalUs) / 1e6),
        MetricFamily{"sockscope_polls_total",
                     "Full sock_diag polls since the exporter started.",
                     MetricType::Counter,
                     {MetricSample{{}, double(m_stats.pollNumber)}}},
    };
}

} // namespace sockscope
