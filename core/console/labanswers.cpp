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
    QString text = QStringLiteral("%1 %2 → %3 %4 then=%5")
                       .arg(s.id, s.local.text(s.family), s.remote.text(s.family),
                            clientPhaseName(s.phase), closePolicyName(s.policy));
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
    answer.ids = ids;
    return answer;
}

} // namespace sockscope
