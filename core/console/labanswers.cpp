// SPDX-License-Identifier: GPL-3.0-or-later
#include "console/labanswers.h"

#include <cerrno>

namespace sockscope {

namespace {
QString flags(bool reuseAddr, bool reusePort)
{
    QString text;
    if (reuseAddr)
        text += QStringLiteral(" reuseaddr");
    if (reusePort)
        text += QStringLiteral(" reuseport");
    return text;
}
} // namespace

QString idRange(const QStringList &ids)
{
    if (ids.isEmpty())
        return QString();
    return ids.size() == 1 ? ids.first() : ids.first() + QStringLiteral("..") + ids.last();
}

QString listenerText(const ListenerStatus &s)
{
    const Endpoint &shown = s.open || s.bound.port != 0 ? s.bound : s.spec.local;
    return QStringLiteral("%1 %2 %3%4 backlog=%5 accept=%6 loop=%7")
        .arg(s.id, shown.text(s.spec.family),
             s.open ? QStringLiteral("listening") : QStringLiteral("closed"),
             flags(s.spec.reuseAddr, s.spec.reusePort))
        .arg(s.spec.backlog)
        .arg(acceptModeName(s.spec.accept), acceptLoopName(s.spec.loop));
}

QString listenerDetailText(const ListenerStatus &s)
{
    return listenerText(s) +
           QStringLiteral(" accepted=%1 held=%2 accept-errors=%3 accept-thread=%4")
               .arg(s.accepted)
               .arg(s.held)
               .arg(s.acceptErrors)
               .arg(s.acceptThreadRunning ? QStringLiteral("running") : QStringLiteral("none"));
}

QString clientText(const ClientStatus &s)
{
    QString text =
        QStringLiteral("%1 %2 → %3 %4 %5")
            .arg(s.id, s.local.text(s.family), s.remote.text(s.family), clientPhaseName(s.phase),
                 s.listener.isEmpty() ? QStringLiteral("then=") + closePolicyName(s.policy)
                                      : QStringLiteral("accepted-by=") + s.listener);
    if (s.failure)
        text += QStringLiteral(": ") + s.failure->text();
    return text;
}

QString serverText(const ServerStatus &s)
{
    QString text = QStringLiteral("%1 pid=%2 %3 %4%5 nofile=%6 policy=%7")
                       .arg(s.id)
                       .arg(s.pid)
                       .arg(s.running ? QStringLiteral("running") : QStringLiteral("exited"),
                            (s.bound.port != 0 ? s.bound : s.spec.local).text(s.spec.family),
                            flags(s.spec.reuseAddr, s.spec.reusePort))
                       .arg(s.spec.nofile)
                       .arg(acceptErrorPolicyName(s.spec.policy));
    if (s.spec.policy == AcceptErrorPolicy::Cap)
        text += QStringLiteral(" cap=%1").arg(s.spec.cap);
    text += QStringLiteral(" accepts=%1 accept-errors=%2").arg(s.accepts).arg(s.acceptErrors);
    if (!s.lastAcceptErrno.isEmpty())
        text += QStringLiteral(" last-error=") + s.lastAcceptErrno;
    text += QStringLiteral(" spin-retries=%1 open-connections=%2 fds=%3")
                .arg(s.spinRetries)
                .arg(s.openConnections)
                .arg(s.openDescriptors);
    if (!s.running && s.exitStatus >= 0)
        text += QStringLiteral(" exit-status=%1").arg(s.exitStatus);
    return text;
}

namespace {
QString listenerState(const ListenerStatus &s)
{
    if (s.open)
        return QLatin1String(kStateListening);
    return QLatin1String(s.acceptThreadRunning ? kStateOrphaned : kStateClosed);
}

// listed: among the ids the command acted on.
void noteLine(ConsoleAnswer &answer, const QString &id, const QString &text, const QString &state,
              bool listed = true)
{
    if (listed && !answer.ids.contains(id))
        answer.ids << id;
    answer.objects.insert(id, ObjectLine{QStringLiteral("ok ") + text, state, true});
}

QStringList openConnectionIds(const ListenerStatus &s)
{
    QStringList ids;
    for (const ClientStatus &connection : s.connections) {
        if (connection.phase != ClientPhase::Closed && connection.phase != ClientPhase::Reset)
            ids << connection.id;
    }
    return ids;
}

QString counted(int count, const QString &singular, const QString &plural)
{
    return QStringLiteral("%1 %2").arg(count).arg(count == 1 ? singular : plural);
}
} // namespace

void noteObject(ConsoleAnswer &answer, const ListenerStatus &status)
{
    noteLine(answer, status.id, listenerText(status), listenerState(status));
}

void noteObject(ConsoleAnswer &answer, const ClientStatus &status)
{
    noteLine(answer, status.id, clientText(status), clientPhaseName(status.phase));
    if (status.failure)
        noteFailure(answer, status.id, ConsoleAnswer::failure(*status.failure, status.id));
}

void noteObject(ConsoleAnswer &answer, const ServerStatus &status)
{
    noteLine(answer, status.id, serverText(status),
             QLatin1String(status.running ? kStateRunning : kStateExited));
}

void noteMadeAlong(ConsoleAnswer &answer, const ClientStatus &status)
{
    noteLine(answer, status.id, clientText(status), clientPhaseName(status.phase), false);
}

void noteFailure(ConsoleAnswer &answer, const QString &id, const ConsoleAnswer &failure)
{
    if (!answer.ids.contains(id))
        answer.ids << id;
    ObjectLine &object = answer.objects[id];
    object.line = failure.firstLine();
    object.ok = false;
}

ConsoleAnswer listenerCloseAnswer(const ListenerStatus &status, StopMode mode, bool repaired)
{
    QStringList parts;
    if (repaired)
        parts << QStringLiteral("the orphaned accept() was interrupted with a signal (no "
                                "connection made) and its thread joined, so the LISTEN socket "
                                "is gone");
    else if (mode == StopMode::Naive && status.acceptThreadRunning)
        parts << QStringLiteral("the descriptor is closed but accept() still runs in its thread, "
                                "so the socket stays in LISTEN with no owner");
    else if (mode == StopMode::Graceful && status.spec.loop == AcceptLoop::Thread)
        parts << QStringLiteral("stop flag, shutdown, accept thread joined, descriptor closed");
    const QStringList open = openConnectionIds(status);
    if (!open.isEmpty())
        parts << QStringLiteral("%1 stay open (%2)")
                     .arg(counted(static_cast<int>(open.size()),
                                  QStringLiteral("accepted connection"),
                                  QStringLiteral("accepted connections")),
                          open.join(QStringLiteral(", ")));
    if (status.queuedReset > 0)
        parts << QStringLiteral("%1 reset by the kernel")
                     .arg(counted(status.queuedReset, QStringLiteral("queued connection"),
                                  QStringLiteral("queued connections")));
    QString text = QStringLiteral("%1 closed %2").arg(status.id, stopModeName(mode));
    if (!parts.isEmpty())
        text += QStringLiteral(": ") + parts.join(QStringLiteral(", "));
    ConsoleAnswer answer = ConsoleAnswer::success(text);
    noteObject(answer, status);
    // What the close did is the listener's news, more than its status line.
    answer.objects[status.id].line = answer.firstLine();
    for (const ClientStatus &connection : status.connections) {
        if (open.contains(connection.id))
            noteObject(answer, connection);
    }
    return answer;
}

ConsoleAnswer listAnswer(const QList<ListenerStatus> &listeners, const QList<ClientStatus> &clients,
                         const QList<ServerStatus> &servers)
{
    QStringList parts;
    for (const ListenerStatus &s : listeners) {
        parts
            << QStringLiteral("%1 %2 %3").arg(s.id, s.bound.text(s.spec.family), listenerState(s));
        for (const ClientStatus &connection : s.connections)
            parts << QStringLiteral("%1 %2").arg(connection.id, clientPhaseName(connection.phase));
    }
    for (const ClientStatus &s : clients) {
        parts << QStringLiteral("%1 %2").arg(s.id, clientPhaseName(s.phase));
        if (s.failure)
            parts.last() += QLatin1Char(' ') + s.failure->errnoName;
    }
    for (const ServerStatus &s : servers)
        parts << QStringLiteral("%1 pid=%2 %3")
                     .arg(s.id)
                     .arg(s.pid)
                     .arg(s.running ? "running" : "exited");
    return ConsoleAnswer::success(QStringLiteral("%1 objects%2%3")
                                      .arg(parts.size())
                                      .arg(parts.isEmpty() ? QString() : QStringLiteral(": "),
                                           parts.join(QStringLiteral("; "))));
}

ConsoleAnswer connectAnswer(const QList<ClientStatus> &clients)
{
    QStringList ids;
    int connected = 0;
    const ClientStatus *firstFailure = nullptr;
    for (const ClientStatus &client : clients) {
        ids << client.id;
        if (client.phase != ClientPhase::Failed)
            ++connected;
        else if (!firstFailure)
            firstFailure = &client;
    }
    const QString range = idRange(ids);
    const int total = static_cast<int>(clients.size());
    ConsoleAnswer answer;
    if (connected == 0 && firstFailure) {
        const QString subject =
            total == 1 ? range : QStringLiteral("%1 0 of %2 connected:").arg(range).arg(total);
        answer = firstFailure->failure
                     ? ConsoleAnswer::failure(*firstFailure->failure, subject)
                     : ConsoleAnswer::failure(Error{EIO, QStringLiteral("the connection failed")},
                                              subject);
    } else if (total == 1) {
        answer = ConsoleAnswer::success(clientText(clients.first()));
    } else {
        const ClientStatus &first = clients.first();
        QString text = QStringLiteral("%1 %2 of %3 connected to %4 then=%5")
                           .arg(range)
                           .arg(connected)
                           .arg(total)
                           .arg(first.remote.text(first.family), closePolicyName(first.policy));
        if (firstFailure) {
            text +=
                QStringLiteral("; %1 failed (first %2): %3")
                    .arg(total - connected)
                    .arg(firstFailure->id, firstFailure->failure ? firstFailure->failure->text()
                                                                 : QStringLiteral("unknown error"));
            if (firstFailure->failure)
                answer.explanation = firstFailure->failure;
        }
        answer.text = text;
    }
    for (const ClientStatus &client : clients)
        noteObject(answer, client);
    return answer;
}

} // namespace sockscope
