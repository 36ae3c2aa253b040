// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "poller/pollbatch.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace sockscope {

// The agent protocol (`sockscope agent`): JSON lines, a hello first, then one
// line per PollBatch (and the remote lab's lines: console/labjson.h). This file is its one home,
// written and read both ways. A reader refuses any other protocol version: the fields may mean
// other things.
inline constexpr int kAgentProtocolVersion = 1;

struct AgentHello
{
    int protocol = kAgentProtocolVersion;
    QString version;  // the agent's sockscope version
    QString hostname; // the server's name
    QString kernel;   // uname -r
    bool tracing = false;
    QString traceNotice; // without tracing: what is missed
    int ephemeralPortStart = 32768;
    // Whether the agent runs as root, so sees every socket's owner; unknown
    // from an agent older than this field.
    std::optional<bool> root;
    // Whether it runs the lab requests of the window (agent --lab; the lab's
    // lines are in console/labjson.h).
    bool lab = false;
    // The agent's process id on the server: the lab's sockets are its own.
    int pid = 0;
};

// One line, newline included.
QByteArray helloToJsonLine(const AgentHello &hello);
QByteArray batchToJsonLine(const PollBatch &batch);

// One line of the stream as read: a hello or a batch.
struct AgentLine
{
    std::optional<AgentHello> hello;
    std::optional<PollBatch> batch;
};

// Reads line number `lineNumber` (1-based, for the error). An Error names the
// line and what is wrong with it: not JSON (with its first bytes), not our
// protocol, a protocol version other than ours, a missing or bad field.
Result<AgentLine> parseAgentLine(QByteArrayView line, int lineNumber);

} // namespace sockscope
