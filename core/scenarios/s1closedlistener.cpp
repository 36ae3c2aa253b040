// SPDX-License-Identifier: GPL-3.0-or-later
// S1: a listener closed while a thread is blocked in accept() keeps listening.
#include "scenarios/scenariocatalog.h"

namespace sockscope {

Scenario closedListenerScenario()
{
    using namespace expect;
    const QString port = QStringLiteral("PORT");
    Scenario s;
    s.id = QStringLiteral("S1");
    s.title = QStringLiteral("Closed listener that is still listening");
    s.seed = QStringLiteral("seed 000");
    s.summary = QStringLiteral(
        "A server stops its accept loop by closing the listening socket while a thread is still "
        "blocked in accept() on it, then listens on the same port again: the rebind fails with "
        "EADDRINUSE even with SO_REUSEADDR, because the in-flight accept() keeps the socket "
        "listening with no descriptor. Waking the accept() with shutdown() and joining the "
        "thread before close() avoids it.");
    s.ports = {{port, 9000}};
    s.steps = {
        {{QStringLiteral("listen 127.0.0.1:{PORT} reuseaddr thread")},
         QStringLiteral("A server listens on PORT with SO_REUSEADDR; its accept loop is a thread "
                        "blocked in accept()."),
         {ok(), row(TcpState::Listen, port).owned()}},
        {{QStringLiteral("sleep 100"), QStringLiteral("close {L} naive")},
         QStringLiteral("The server stops by closing the listening descriptor while the thread is "
                        "still in accept(). close() only drops the descriptor: the in-flight "
                        "accept() holds the socket, which stays in LISTEN owned by no descriptor "
                        "of any process."),
         {mentions(QStringLiteral("stays in LISTEN")), row(TcpState::Listen, port).notOwned()}},
        {{QStringLiteral("rebind {L}")},
         QStringLiteral("The server listens again on the same port, as a restarted accept loop "
                        "would: EADDRINUSE, even with SO_REUSEADDR, because the old socket is "
                        "still listening."),
         {error(QStringLiteral("EADDRINUSE")), culprit(TcpState::Listen, port),
          row(TcpState::Listen, port).notOwned()}},
        {{QStringLiteral("close {L} graceful")},
         QStringLiteral("The way out for the stuck socket: make that accept() return (the lab "
                        "interrupts it with a signal, so no connection of its own shows up) and "
                        "join the thread. The LISTEN row disappears."),
         {ok(), noRow(TcpState::Listen, port, Expectation::Side::Local)}},
        {{QStringLiteral("rebind {L}")},
         QStringLiteral("Now the same rebind succeeds."),
         {ok(), row(TcpState::Listen, port).owned()}},
        {{QStringLiteral("close {L} graceful")},
         QStringLiteral("The graceful order from the start: set the stop flag, shutdown() wakes "
                        "the blocked accept(), join the thread, then close(). No LISTEN row is "
                        "left behind."),
         {ok(), noRow(TcpState::Listen, port, Expectation::Side::Local)}},
        {{QStringLiteral("rebind {L}")},
         QStringLiteral("So the port can be bound again at once."),
         {ok(), row(TcpState::Listen, port).owned()}},
    };
    return s;
}

} // namespace sockscope
