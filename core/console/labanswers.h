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
// "C1 127.0.0.1:45678 → 127.0.0.1:9000 connected then=keep";
// "L1.2 127.0.0.1:9000 → 127.0.0.1:45678 connected accepted-by=L1"
QString clientText(const ClientStatus &status);
// "P1 pid=4242 running 127.0.0.1:9000 nofile=16 policy=spin accepts=8 ..."
QString serverText(const ServerStatus &status);

// Adds the object to answer.ids (once) and its own line and state to answer.objects.
void noteObject(ConsoleAnswer &answer, const ListenerStatus &status);
void noteObject(ConsoleAnswer &answer, const ClientStatus &status);
void noteObject(ConsoleAnswer &answer, const ServerStatus &status);
// Adds the object to answer.objects only: made along, not acted on.
void noteMadeAlong(ConsoleAnswer &answer, const ClientStatus &status);
// The object's line becomes `failure`'s first line (its state stays).
void noteFailure(ConsoleAnswer &answer, const QString &id, const ConsoleAnswer &failure);
// `list`: every object, the connections a listener accepted right after it.
ConsoleAnswer listAnswer(const QList<ListenerStatus> &listeners, const QList<ClientStatus> &clients,
                         const QList<ServerStatus> &servers);
// The answer to `close L1 naive|graceful`: what closed, the accepted
// connections that stay open and the queued ones the kernel reset.
// `repaired`: the close ended the accept thread an earlier naive close left.
ConsoleAnswer listenerCloseAnswer(const ListenerStatus &status, StopMode mode, bool repaired);

// The answer to `connect`: every client of one spec (ids C1..Cn). Succeeds when
// at least one connected, saying how many and the first failure, explained.
ConsoleAnswer connectAnswer(const QList<ClientStatus> &clients);

// "C1..C5" for consecutive ids, "C1" for one.
QString idRange(const QStringList &ids);

} // namespace sockscope
