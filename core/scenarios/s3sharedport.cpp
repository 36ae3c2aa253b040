// SPDX-License-Identifier: GPL-3.0-or-later
// S3: two server processes on one port with SO_REUSEPORT.
#include "scenarios/scenariocatalog.h"

namespace sockscope {

Scenario sharedPortScenario()
{
    using namespace expect;
    const QString port = QStringLiteral("PORT");
    Scenario s;
    s.id = QStringLiteral("S3");
    s.title = QStringLiteral("Two servers on one port");
    s.seed = QStringLiteral("seed 001");
    s.summary = QStringLiteral(
        "Without SO_REUSEPORT a second LISTEN on the same address and port fails with "
        "EADDRINUSE. With SO_REUSEPORT set on both, two processes listen on one port and the "
        "kernel balances new connections between them; a third socket with only SO_REUSEADDR "
        "still fails.");
    s.ports = {{port, 9000}};
    s.steps = {
        {{QStringLiteral("listen 127.0.0.1:{PORT}"), QStringLiteral("listen 127.0.0.1:{PORT}")},
         QStringLiteral("Two listeners on one port without SO_REUSEPORT: the second fails."),
         {ok().ofCommand(0), error(QStringLiteral("EADDRINUSE")).ofCommand(1),
          culprit(TcpState::Listen, port).ofCommand(1)}},
        {{QStringLiteral("close {L} graceful")},
         QStringLiteral("The port is free again."),
         {ok(), noRow(TcpState::Listen, port, Expectation::Side::Local)}},
        {{QStringLiteral("server 127.0.0.1:{PORT} reuseport"),
          QStringLiteral("server 127.0.0.1:{PORT} reuseport")},
         QStringLiteral("Two server processes set SO_REUSEPORT before bind(): both listen on the "
                        "same port."),
         {ok().ofCommand(0), ok(), row(TcpState::Listen, port).atLeast(2).byOwners(2)}},
        {{QStringLiteral("connect 127.0.0.1:{PORT} count 16 then keep"),
          QStringLiteral("sleep 200")},
         QStringLiteral("16 clients connect. The kernel hashes each connection to one of the "
                        "listeners: the owner column of the ESTABLISHED rows on the server side "
                        "shows which process accepted which connection."),
         {ok().ofCommand(0), row(TcpState::Established, port).atLeast(16).byOwners(2)}},
        {{QStringLiteral("status {P-1}"), QStringLiteral("status {P}")},
         QStringLiteral("Each server reports the connections it accepted."),
         {atLeast(QStringLiteral("accepts"), 1).ofCommand(0),
          atLeast(QStringLiteral("accepts"), 1).ofCommand(1)}},
        {{QStringLiteral("listen 127.0.0.1:{PORT} reuseaddr")},
         QStringLiteral("A third socket with only SO_REUSEADDR fails: SO_REUSEADDR never lets two "
                        "sockets listen on one address."),
         {error(QStringLiteral("EADDRINUSE")), culprit(TcpState::Listen, port)}},
        {{QStringLiteral("close {C*}"), QStringLiteral("kill {P-1}"), QStringLiteral("kill {P}")},
         QStringLiteral("The clients close and both servers stop."),
         {ok(), noRow(TcpState::Listen, port, Expectation::Side::Local)}},
    };
    return s;
}

} // namespace sockscope
