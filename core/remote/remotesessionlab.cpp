// SPDX-License-Identifier: GPL-3.0-or-later
// RemoteSession's remote lab (agent --lab): requests out on ssh's standard
// input, answers and events in among the batches, and one answer for every
// request whatever happens to the connection.
#include "console/labjson.h"
#include "remote/remoteaccess.h"
#include "remote/remotesession.h"
#include "util/monotonic.h"
#include "util/threadhandover.h"

#include <cerrno>

namespace sockscope {

void RemoteSession::sendLab(std::uint64_t request, const QString &line)
{
    const auto refuse = [&](int errnum, const QString &why) {
        handOverRelease(this);
        Q_EMIT labAnswered(request, ConsoleAnswer::failure(Error{errnum, why}));
    };
    if (!m_process || m_mode == Mode::Waiting)
        return refuse(ENOTCONN, QStringLiteral("not connected to %1 now: nothing was sent, try "
                                               "again once the status bar says it is connected")
                                    .arg(m_target.displayName()));
    if (m_mode == Mode::Ss)
        return refuse(EOPNOTSUPP, remoteLabNeedsSockscopeText(m_target.displayName()));
    if (!m_hello.lab)
        return refuse(EPERM, remoteLabOffText(m_target.displayName()));
    m_labWaiting.insert(request);
    m_process->write(labRequestLine({request, line}));
}

void RemoteSession::handleLabLine(const QByteArray &line)
{
    auto parsed = parseLabLine(line, m_lineNumber);
    if (!parsed) {
        // One bad line of the lab's does not end the sockets' stream; the
        // requests waiting get this instead of an answer that never comes.
        const QString why =
            QStringLiteral("%1: %2").arg(m_target.displayName(), parsed.error().message);
        answerWaiting(EPROTO, why);
        m_failureReported = true; // cleared by the next batch's pollRecovered
        handOverRelease(this);
        Q_EMIT pollFailed(why);
        return;
    }
    if (parsed->event) {
        // The server's clock is not ours: the event log places it on arrival.
        LabEvent event = *parsed->event;
        event.timeMs = monotonicMs();
        handOverRelease(this);
        Q_EMIT labEvent(event);
        return;
    }
    if (!parsed->request || !m_labWaiting.remove(*parsed->request))
        return; // not asked in this session: a late answer to a dropped request
    // Something was made there (a listener, a client, a server): the end of
    // this agent closes it, and the window is told then.
    if (parsed->answer.ok && !parsed->answer.ids.isEmpty())
        m_labUsed = true;
    handOverRelease(this);
    Q_EMIT labAnswered(*parsed->request, parsed->answer);
}

void RemoteSession::answerWaiting(int errnum, const QString &why)
{
    const QList<std::uint64_t> waiting = m_labWaiting.values();
    m_labWaiting.clear();
    for (std::uint64_t request : waiting) {
        handOverRelease(this);
        Q_EMIT labAnswered(request, ConsoleAnswer::failure(Error{errnum, why}));
    }
}

void RemoteSession::dropLab(const QString &why)
{
    answerWaiting(ECONNRESET, why);
    if (std::exchange(m_labUsed, false)) {
        handOverRelease(this);
        Q_EMIT labLost(QStringLiteral("the lab's listeners, clients and server processes on %1 "
                                      "were closed with its agent")
                           .arg(m_target.displayName()));
    }
}

} // namespace sockscope
