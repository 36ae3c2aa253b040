// SPDX-License-Identifier: GPL-3.0-or-later
#include "format/ownertext.h"

#include <QStringList>

namespace sockscope {

QString programName(const QString &command)
{
    return command.section(QLatin1Char(' '), 0, 0).section(QLatin1Char('/'), -1);
}

QString ownerText(const OwnerLookup &owner)
{
    if (owner.ownership != Ownership::Owned)
        return ownershipName(owner.ownership);
    QStringList parts;
    for (const OwnerProcess &process : owner.owners) {
        QString part = QStringLiteral("pid %1 %2").arg(process.pid).arg(process.command.left(60));
        // A process the trace named (its syscall changed the socket) has no descriptor we read.
        if (process.fd >= 0)
            part += QStringLiteral(" (fd %1)").arg(process.fd);
        parts << part;
    }
    return parts.join(QStringLiteral(", "));
}

QString shortOwnerText(const OwnerLookup &owner)
{
    if (owner.ownership != Ownership::Owned || owner.owners.isEmpty())
        return ownershipName(owner.ownership);
    const OwnerProcess &first = owner.owners.first();
    QString text = QStringLiteral("pid %1 %2").arg(first.pid).arg(programName(first.command));
    if (owner.owners.size() > 1)
        text += QStringLiteral(" +%1").arg(owner.owners.size() - 1);
    return text;
}

QString ownerPhrase(const OwnerLookup &owner)
{
    if (owner.ownership == Ownership::Orphaned)
        return QString();
    if (owner.ownership == Ownership::Unknown || owner.owners.isEmpty())
        return QStringLiteral("owner unknown");
    QStringList pids;
    for (const OwnerProcess &process : owner.owners) {
        const QString pid = QString::number(process.pid);
        if (!pids.contains(pid))
            pids << pid;
    }
    const QString program = programName(owner.owners.first().command);
    QString text = (pids.size() == 1 ? QStringLiteral("pid ") : QStringLiteral("pids ")) +
                   pids.join(QStringLiteral(", "));
    if (!program.isEmpty())
        text += QLatin1Char(' ') + program;
    return text;
}

} // namespace sockscope
