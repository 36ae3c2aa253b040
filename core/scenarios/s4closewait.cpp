// SPDX-License-Identifier: GPL-3.0-or-later
// S4: the server closes, the client never does: CLOSE_WAIT, FIN_WAIT2 and a
// fixed local port that stays taken.
#include "scenarios/scenariocatalog.h"

namespace sockscope {

Scenario closeWaitScenario()
{
    using namespace expect;
    const QString port = QStringLiteral("PORT");
    const QString clientPort = QStringLiteral("CPORT");
    Scenario s;
    s.id = QStringLiteral("S4");
    s.title = QStringLiteral("Server closes, client does not: CLOSE_WAIT and FIN_WAIT2");
    s.seed = QStringLiteral("seed 002");
    s.summary = QStringLiteral(
        "A client binds a fixed local port and connects; the server accepts and closes at once. "
        "The server side waits in FIN_WAIT2, the client side sits in CLOSE_WAIT for as long as "
        "the client never calls close(), and a second bind to the same local port fails with "
        "EADDRINUSE, with or without SO_REUSEADDR. When the client finally closes, the server "
        "side moves to TIME_WAIT for 60 s.");
    s.ports = {{port, 9000}, {clientPort, 10001}};
    s.steps = {
        {{QStringLiteral("listen 127.0.0.1:{PORT} accept close")},
         QStringLiteral("The server of the seed: it accepts each connection and closes it at "
                        "once."),
         {ok(), row(TcpState::Listen, port).owned()}},
        {{QStringLiteral("connect 127.0.0.1:{PORT} from 127.0.0.1:{CPORT} then never-close"),
          QStringLiteral("wait CLOSE_WAIT {CPORT} 3000")},
         QStringLiteral("The client binds local port CPORT and connects. The server closes at "
                        "once: its side goes to FIN_WAIT2 (no process holds it any more; "
                        "tcp_fin_timeout ends it), the client side stays in CLOSE_WAIT because the "
                        "client never calls close()."),
         {ok(), row(TcpState::CloseWait, clientPort).towards(port).owned(),
          row(TcpState::FinWait2, port).towards(clientPort).orphaned()}},
        {{QStringLiteral("sleep 1000"),
          QStringLiteral("connect 127.0.0.1:{PORT} from 127.0.0.1:{CPORT}")},
         QStringLiteral("A second client binds the same local port: EADDRINUSE, because the "
                        "CLOSE_WAIT connection still holds it. The CLOSE_WAIT grows older: a "
                        "leak."),
         {error(QStringLiteral("EADDRINUSE")), culprit(TcpState::CloseWait, clientPort),
          row(TcpState::CloseWait, clientPort)}},
        {{QStringLiteral("connect 127.0.0.1:{PORT} from 127.0.0.1:{CPORT} reuseaddr")},
         QStringLiteral("SO_REUSEADDR on the new socket alone does not help: the old socket "
                        "would have had to set it too."),
         {error(QStringLiteral("EADDRINUSE")), culprit(TcpState::CloseWait, clientPort)}},
        {{QStringLiteral("check 127.0.0.1:{CPORT} reuseaddr")},
         QStringLiteral("The bind checker names the same socket, and says what ends it: only the "
                        "process closing it."),
         {error(QStringLiteral("EADDRINUSE")), culprit(TcpState::CloseWait, clientPort)}},
        {{QStringLiteral("close {C}"), QStringLiteral("wait TIME_WAIT {PORT} 3000")},
         QStringLiteral("The client finally closes: its FIN reaches the server side in FIN_WAIT2, "
                        "which moves to TIME_WAIT for 60 s. CLOSE_WAIT is gone."),
         {ok(), row(TcpState::TimeWait, port).towards(clientPort),
          noRow(TcpState::CloseWait, clientPort), noRow(TcpState::FinWait2, port)}},
        {{QStringLiteral("check 127.0.0.1:{CPORT}")},
         QStringLiteral("The client's local port is free again: the TIME_WAIT is on the server's "
                        "side."),
         {ok()}},
    };
    return s;
}

} // namespace sockscope
