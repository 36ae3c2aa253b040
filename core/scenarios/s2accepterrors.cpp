// SPDX-License-Identifier: GPL-3.0-or-later
// S2: accept() failing with EMFILE, and three ways a server can react.
#include "scenarios/scenariocatalog.h"

namespace sockscope {

namespace {

constexpr int kClients = 20;

// The four steps of one policy: start, flood, recover, report.
QList<ScenarioStep> policySteps(const QString &policy, const QString &reaction,
                                const QList<Expectation> &underPressure)
{
    using namespace expect;
    const QString port = QStringLiteral("PORT");
    QList<Expectation> pressure = {ok(), row(TcpState::Listen, port).recvQAtLeast(1)};
    pressure += underPressure;
    return {
        {{QStringLiteral("server 127.0.0.1:{PORT} nofile 12 policy %1").arg(policy)},
         QStringLiteral("A server process whose descriptor limit (RLIMIT_NOFILE) is 12, with the "
                        "accept-error policy '%1'. The limit is the child's own: the lab never "
                        "lowers its own.")
             .arg(policy),
         {ok(), row(TcpState::Listen, port).owned()}},
        {{QStringLiteral("connect 127.0.0.1:{PORT} count %1 then keep").arg(kClients),
          QStringLiteral("sleep 300"), QStringLiteral("status {P}")},
         QStringLiteral("%1 clients connect. The kernel completes every handshake; the server "
                        "accepts until its descriptors run out, then accept() fails with EMFILE "
                        "and the rest wait in the accept queue (the LISTEN row's Recv-Q). %2")
             .arg(kClients)
             .arg(reaction),
         pressure},
        {{QStringLiteral("close {C*}")},
         QStringLiteral("The clients close. The server reads end of file and closes its "
                        "connections, descriptors come free and it accepts the queued ones: the "
                        "queue drains."),
         {ok(), row(TcpState::Listen, port).recvQAtMost(0), noRow(TcpState::Established, port),
          noRow(TcpState::CloseWait, port)},
         4000},
        {{QStringLiteral("sleep 100"), QStringLiteral("status {P}"), QStringLiteral("kill {P}")},
         QStringLiteral("Recovered: every connection was accepted in the end. The server stops; "
                        "the connections it closed last finish their close (LAST_ACK until the "
                        "client's ACK) before the port is free for the next server."),
         {atLeast(QStringLiteral("accepts"), kClients).ofCommand(1),
          atMost(QStringLiteral("open-connections"), 0).ofCommand(1), ok(),
          // The next variant binds the same port: a LAST_ACK still on it would refuse that bind.
          noRow(TcpState::LastAck, port, Expectation::Side::Local),
          noRow(TcpState::FinWait1, port, Expectation::Side::Local),
          noRow(TcpState::Closing, port, Expectation::Side::Local)},
         4000},
    };
}

} // namespace

Scenario acceptErrorsScenario()
{
    using namespace expect;
    Scenario s;
    s.id = QStringLiteral("S2");
    s.title = QStringLiteral("Accept loop errors: EMFILE");
    s.seed = QStringLiteral("seed 001");
    s.summary = QStringLiteral(
        "When a server runs out of file descriptors, accept() fails with EMFILE (ENFILE "
        "system-wide) while connections keep completing the handshake in the kernel and wait in "
        "the accept queue. A server can spin on the error (burns a core), back off (5 ms doubling "
        "to 1 s), or cap its open connections so EMFILE never happens.");
    s.ports = {{QStringLiteral("PORT"), 9000}};
    s.steps += policySteps(
        QStringLiteral("spin"),
        QStringLiteral("Spinning retries at once: thousands of failed accept() calls, a core "
                       "busy doing nothing."),
        {mentions(QStringLiteral("last-error=EMFILE")),
         atLeast(QStringLiteral("spin-retries"), 100)});
    s.steps += policySteps(
        QStringLiteral("backoff"),
        QStringLiteral("Backing off waits 5 ms, then 10, 20... up to 1 s between attempts: a "
                       "handful of errors instead of thousands."),
        {mentions(QStringLiteral("last-error=EMFILE")), atLeast(QStringLiteral("accept-errors"), 1),
         atMost(QStringLiteral("accept-errors"), 50), atMost(QStringLiteral("spin-retries"), 0)});
    s.steps += policySteps(
        QStringLiteral("cap 4"),
        QStringLiteral("Capping at 4 open connections, the server stops accepting before the "
                       "descriptors run out: no EMFILE at all, the queue holds the rest."),
        {atMost(QStringLiteral("accept-errors"), 0), atLeast(QStringLiteral("open-connections"), 4),
         atMost(QStringLiteral("open-connections"), 4)});
    return s;
}

} // namespace sockscope
