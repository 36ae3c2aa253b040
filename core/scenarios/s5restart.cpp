// SPDX-License-Identifier: GPL-3.0-or-later
// S5: restarting a server whose port is in TIME_WAIT, with and without SO_REUSEADDR.
#include "scenarios/scenariocatalog.h"

namespace sockscope {

Scenario restartScenario()
{
    using namespace expect;
    const QString port = QStringLiteral("PORT");
    const QString second = QStringLiteral("PORT2");
    Scenario s;
    s.id = QStringLiteral("S5");
    s.title = QStringLiteral("Restart after exit: TIME_WAIT and SO_REUSEADDR");
    s.seed = QStringLiteral("seed 003");
    s.summary = QStringLiteral(
        "A server process exits while a connection is open; the kernel closes the connection "
        "actively and the server's port stays in TIME_WAIT for 60 s. A restart without "
        "SO_REUSEADDR fails with EADDRINUSE. SO_REUSEADDR lets the new listener bind only if the "
        "TIME_WAIT socket came from a socket that also set it: a server that sets it restarts "
        "cleanly, one that never did cannot be rescued by setting it on the new socket only.");
    s.ports = {{port, 9000}, {second, 9001}};
    s.steps = {
        {{QStringLiteral("server 127.0.0.1:{PORT}")},
         QStringLiteral("A server process without SO_REUSEADDR listens on PORT."),
         {ok(), row(TcpState::Listen, port).owned()}},
        {{QStringLiteral("connect 127.0.0.1:{PORT} then keep"), QStringLiteral("sleep 200"),
          QStringLiteral("status {P}")},
         QStringLiteral("A client connects and the server accepts: one open connection."),
         {atLeast(QStringLiteral("open-connections"), 1),
          row(TcpState::Established, port).owned()}},
        {{QStringLiteral("kill {P} kill"), QStringLiteral("wait TIME_WAIT {PORT} 3000")},
         QStringLiteral("The server process dies. The kernel closes its connection actively; the "
                        "client answers the FIN and closes, and the server's side stays in "
                        "TIME_WAIT on PORT for 60 s."),
         {ok(), row(TcpState::TimeWait, port).orphaned(),
          noRow(TcpState::Listen, port, Expectation::Side::Local)}},
        {{QStringLiteral("server 127.0.0.1:{PORT}")},
         QStringLiteral("Restart without SO_REUSEADDR: EADDRINUSE until the TIME_WAIT ends."),
         {error(QStringLiteral("EADDRINUSE")), culprit(TcpState::TimeWait, port),
          mentions(QStringLiteral("removes it in"))}},
        {{QStringLiteral("server 127.0.0.1:{PORT} reuseaddr")},
         QStringLiteral("Setting SO_REUSEADDR only on the new socket does not help: the TIME_WAIT "
                        "socket comes from a server that never set it."),
         {error(QStringLiteral("EADDRINUSE")), culprit(TcpState::TimeWait, port)}},
        {{QStringLiteral("server 127.0.0.1:{PORT2} reuseaddr"),
          QStringLiteral("connect 127.0.0.1:{PORT2} then keep"), QStringLiteral("sleep 200"),
          QStringLiteral("kill {P} kill"), QStringLiteral("wait TIME_WAIT {PORT2} 3000")},
         QStringLiteral("The same story with a server that sets SO_REUSEADDR, on PORT2: killed "
                        "with an open connection, its port is in TIME_WAIT too..."),
         {ok(), row(TcpState::TimeWait, second).orphaned()}},
        {{QStringLiteral("server 127.0.0.1:{PORT2} reuseaddr")},
         QStringLiteral("...but its restart, which sets SO_REUSEADDR like the old one, binds at "
                        "once beside the TIME_WAIT socket."),
         {ok(), row(TcpState::Listen, second).owned(), row(TcpState::TimeWait, second)}},
    };
    return s;
}

} // namespace sockscope
