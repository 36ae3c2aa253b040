// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "console/consoleanswer.h"
#include "lab/labtypes.h"

#include <QList>
#include <QString>

namespace sockscope {

// The lab's statuses as console answer text: words and key=value pairs that
// scripts can pick out ("accepts=8").

// "L1 127.0.0.1:9000 listening reuseaddr backlog=128 accept=auto loop=thread"
QString listenerText(const ListenerStatus &status);
// listenerText() plus "accepted=3 held=3 accept-errors=0 accept-thread=running"
QString listenerDetailText(const ListenerStatus &status);
// "C1 127.0.0.1:45678 → 127.0.0.1:9000 connected then=keep"
QString clientText(const ClientStatus &status);
// "P1 pid=4242 running 127.0.0.1:9000 nofile=16 policy=spin accepts=8 ..."
QString serverText(const ServerStatus &status);

// The answer to `connect`: every client of one spec (ids C1..Cn). Succeeds when
// at least one connected, saying how many and the first failure, explained.
ConsoleAnswer connectAnswer(const QList<ClientStatus> &clients);

// "C1..C5" for consecutive ids, "C1" for one.
QString idRange(const QStringList &ids);

} // namespace sockscope
