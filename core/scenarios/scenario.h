// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/tcpstate.h"
#include "owners/ownerinfo.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <QList>
#include <QString>
#include <QStringList>

namespace sockscope {

// One thing a step must show, checked against the console's answer or the
// kernel's dump after the step. Ports are named ("PORT", "CPORT"), resolved
// when the scenario runs.
struct Expectation
{
    enum class Kind
    {
        AnswerOk,       // the command answers "ok"
        AnswerError,    // the command answers "error <errnoName>"
        AnswerMentions, // the answer's first line contains `text`
        AnswerAtLeast,  // "key=N" in the answer with N >= number
        AnswerAtMost,   // "key=N" in the answer with N <= number
        Culprit,        // the failure's explanation names a `state` socket on `port` (local)
        Row,            // the dump has such sockets (see the fields below)
        NoRow,          // the dump has no such socket
        FdsBaseline,    // remembers the answer's "fds=N"
        FdsBack,        // the answer's "fds=N" equals the remembered one
    };
    enum class Side
    {
        Local,
        Remote,
        Either
    };
    // Who must hold a Row's sockets. NotOwned: orphaned, or unknown when some
    // process's descriptors are unreadable (the resolver cannot prove an orphan then).
    enum class Holder
    {
        Any,
        Owned,
        Orphaned,
        NotOwned
    };

    Kind kind = Kind::AnswerOk;
    int command = -1; // answer kinds: index of the step's command, -1 = the last one
    QString errnoName;
    QString text;   // AnswerMentions; the key of AnswerAtLeast/AtMost
    int number = 0; // AnswerAtLeast/AtMost
    TcpState state = TcpState::Unknown;
    QString port; // "PORT": a name from Scenario::ports
    Side side = Side::Local;
    QString remotePort; // Row/NoRow: also the other end's port, when set
    Holder holder = Holder::Any;
    int minCount = 1;
    int minOwners = 0; // Row: held by at least this many different processes
    std::optional<std::uint32_t> minRecvQ;
    std::optional<std::uint32_t> maxRecvQ;

    // Refinements for rows, so the catalog reads like the sentence it checks.
    Expectation owned() const;
    Expectation orphaned() const;
    Expectation notOwned() const;
    Expectation atLeast(int count) const;
    Expectation byOwners(int owners) const;
    Expectation recvQAtLeast(std::uint32_t value) const;
    Expectation recvQAtMost(std::uint32_t value) const;
    Expectation towards(const QString &remote) const;
    Expectation ofCommand(int index) const;

    // "a LISTEN socket on local port PORT held by no readable process"; port
    // names are replaced by their numbers when `ports` knows them.
    QString describe(const std::function<QString(const QString &)> &portText) const;
    bool checksAnswer() const;
};

namespace expect {
Expectation ok();
Expectation error(const QString &errnoName);
Expectation mentions(const QString &text);
Expectation atLeast(const QString &key, int value);
Expectation atMost(const QString &key, int value);
Expectation culprit(TcpState state, const QString &port);
Expectation row(TcpState state, const QString &port,
                Expectation::Side side = Expectation::Side::Local);
Expectation noRow(TcpState state, const QString &port,
                  Expectation::Side side = Expectation::Side::Either);
Expectation fdsBaseline();
Expectation fdsBack();
} // namespace expect

// One step: console lines, what a learner should understand from it, and
// what the kernel must show. Lines may use the port names in braces
// ("{PORT}") and the last ids the lab gave: {L}, {C}, {P}, and {C*} for the
// range of the last connect ("C1..C20"). Commands without an answer
// expectation must answer ok.
struct ScenarioStep
{
    QStringList commands;
    QString explanation;
    QList<Expectation> expectations;
    int settleMs = 2000; // the dump is re-read until its expectations hold, this long at most
};

// A port a scenario uses: the seed's number when it is free, another free port otherwise.
struct ScenarioPort
{
    QString name; // "PORT"
    std::uint16_t preferred = 0;
};

struct Scenario
{
    QString id;    // "S4"
    QString title; // "Server closes, client does not: CLOSE_WAIT and FIN_WAIT2"
    QString seed;  // "seed 002"
    QString summary;
    QList<ScenarioPort> ports;
    QList<ScenarioStep> steps;
};

} // namespace sockscope
