// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lab/labtypes.h"
#include "model/hostport.h"

#include <csignal>
#include <cstdint>
#include <optional>
#include <QString>
#include <QStringList>

namespace sockscope {

// One line of the lab console, parsed and checked: the lab only ever sees
// complete, in-range values. The grammar is in docs/lab-console.md.
struct ConsoleCommand
{
    enum class Verb
    {
        Listen,   // listen ADDR:PORT [reuseaddr] [reuseport] [backlog N] [accept MODE] [thread]
        Close,    // close L1 [naive|graceful] | close C1[..C5]
        Rebind,   // rebind L1
        Accept,   // accept L1 auto|pause|close|hold
        Connect,  // connect ADDR:PORT [from ADDR:PORT] [count N] [then POLICY] ...
        Shutdown, // shutdown C1[..C5]
        Reset,    // reset C1[..C5]
        Server,   // server ADDR:PORT [nofile N] [reuseaddr] [reuseport] [policy ...]
        Kill,     // kill P1 [term|kill]
        Query,    // status L1|C1|P1
        Check,    // check ADDR:PORT [reuseaddr] [reuseport]
        Show,     // show [PORT]
        Wait,     // wait [not] STATE PORT [TIMEOUT_MS]
        Sleep,    // sleep MS
        Fds,      // fds
        List,     // list
        Help,     // help
        Quit,     // quit | exit
    };

    Verb verb = Verb::Help;
    QStringList ids; // object ids, ranges expanded ("C1..C3" -> C1, C2, C3)
    QString idText;  // the ids as typed ("C1..C3"), for answers

    ListenerSpec listener; // listen
    ClientSpec client;     // connect
    ServerSpec server;     // server
    StopMode stop = StopMode::Graceful;
    AcceptMode accept = AcceptMode::Auto;
    int signal = SIGTERM;

    HostPort address; // check
    bool reuseAddr = false;
    bool reusePort = false;

    std::optional<std::uint16_t> port;  // show, wait
    TcpState state = TcpState::Unknown; // wait
    bool negate = false;                // wait not STATE: until no socket is in STATE
    int milliseconds = 5000;            // wait timeout, sleep duration
};

} // namespace sockscope
