// SPDX-License-Identifier: GPL-3.0-or-later
// S6: stopping a listener in the right order, leaving no descriptor behind.
#include "scenarios/scenariocatalog.h"

namespace sockscope {

Scenario gracefulStopScenario()
{
    using namespace expect;
    const QString port = QStringLiteral("PORT");
    Scenario s;
    s.id = QStringLiteral("S6");
    s.title = QStringLiteral("Graceful shutdown of a listener");
    s.seed = QStringLiteral("seed 004");
    s.summary = QStringLiteral(
        "Stopping a server: signal the accept loop to quit, shut the listener down so the blocked "
        "accept() returns, wait for the loop to exit, close the listener, then close the open "
        "connections. Skipping the wait leaks the loop and, as in S1, the socket.");
    s.ports = {{port, 9000}};
    s.steps = {
        {{QStringLiteral("fds")},
         QStringLiteral("Count the lab's descriptors before the server starts."),
         {ok(), fdsBaseline()}},
        {{QStringLiteral("listen 127.0.0.1:{PORT} reuseaddr thread accept auto"),
          QStringLiteral("connect 127.0.0.1:{PORT} count 3 then keep"),
          QStringLiteral("sleep 100")},
         QStringLiteral("A server with an accept thread and three clients connected to it."),
         {row(TcpState::Listen, port).owned(),
          row(TcpState::Established, port).atLeast(3).owned()}},
        {{QStringLiteral("close {L} graceful")},
         QStringLiteral(
             "The graceful stop of the listener, in order: stop flag, shutdown() so the blocked "
             "accept() returns, join the accept thread, close the listening socket. That is all "
             "it closes: the three connections it accepted are sockets of their own and stay "
             "ESTABLISHED, as in any server."),
         {mentions(QStringLiteral("3 accepted connections stay open")),
          noRow(TcpState::Listen, port, Expectation::Side::Local),
          row(TcpState::Established, port).atLeast(3).owned()}},
        {{QStringLiteral("close {L}.1..{L}.3")},
         QStringLiteral("Then the server closes the connections it accepted. The clients see the "
                        "FIN and close too; the server's side of each connection, which closed "
                        "first, rests in TIME_WAIT."),
         {ok(), noRow(TcpState::Established, port), noRow(TcpState::CloseWait, port),
          row(TcpState::TimeWait, port).atLeast(3)}},
        {{QStringLiteral("status {L}")},
         QStringLiteral("Nothing of the listener is left: no accept thread, no held connection."),
         {mentions(QStringLiteral("accept-thread=none")), atMost(QStringLiteral("held"), 0)}},
        {{QStringLiteral("listen 127.0.0.1:{PORT} reuseaddr thread"), QStringLiteral("sleep 100"),
          QStringLiteral("close {L} naive")},
         QStringLiteral("For contrast, the wrong order: closing the descriptor without waking and "
                        "joining the thread leaves the thread blocked in accept() and the socket "
                        "listening with no owner (S1)."),
         {mentions(QStringLiteral("stays in LISTEN")), row(TcpState::Listen, port).notOwned()}},
        {{QStringLiteral("close {L} graceful")},
         QStringLiteral("Repairing it: interrupt that accept() (the lab sends its thread a "
                        "signal, so no connection of its own shows up), join the thread. The "
                        "socket is gone."),
         {ok(), noRow(TcpState::Listen, port, Expectation::Side::Local)}},
        {{QStringLiteral("fds")},
         QStringLiteral("No descriptor left behind: the count is where it started."),
         {ok(), fdsBack()}},
    };
    return s;
}

} // namespace sockscope
