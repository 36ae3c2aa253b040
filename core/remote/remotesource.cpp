// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/remotesource.h"

#include "remote/remoteaccess.h"
#include "util/descriptorcount.h"
#include "util/threadhandover.h"

#include <cerrno>
#include <QThread>
#include <utility>

namespace sockscope {

RemoteSource::RemoteSource(SshTarget target, QObject *parent)
    : SocketSource(parent), m_target(target), m_access(connectingAccess())
{
    qRegisterMetaType<sockscope::PollBatch>();
    qRegisterMetaType<sockscope::ConsoleAnswer>();
    qRegisterMetaType<sockscope::LabEvent>();
    qRegisterMetaType<std::uint64_t>("std::uint64_t");
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("sockscope-remote"));
    // At EMFILE the thread would take the process down (GLib aborts when its
    // event loop finds no descriptor): no session then, and start() says why.
    if (const Status room = descriptorForNewThread(QStringLiteral("the ssh session")); !room) {
        m_startRefusal = room.error().message;
        return;
    }
    m_session = new RemoteSession(std::move(target));
    m_session->moveToThread(m_thread);
    releaseOnFinish(m_thread);
    // One queued connection per signal, which copies its arguments once (a
    // second connection would copy a 100,000-socket batch again), takes the
    // session's hand-over (util/threadhandover.h) and passes them on.
    connect(m_session, &RemoteSession::batchReady, this,
            [this, session = m_session](const PollBatch &batch) {
                handOverAcquire(session);
                Q_EMIT batchReady(batch);
            });
    connect(m_session, &RemoteSession::pollFailed, this,
            [this, session = m_session](const QString &message) {
                handOverAcquire(session);
                Q_EMIT pollFailed(message);
            });
    connect(m_session, &RemoteSession::pollRecovered, this, [this, session = m_session] {
        handOverAcquire(session);
        Q_EMIT pollRecovered();
    });
    connect(m_session, &RemoteSession::fatalError, this,
            [this, session = m_session](const QString &message) {
                handOverAcquire(session);
                Q_EMIT fatalError(message);
            });
    connect(m_session, &RemoteSession::connected, this,
            [this, session = m_session](const QString &summary, bool ssFallback,
                                        const QString &access, int agentPid) {
                handOverAcquire(session);
                onConnected(summary, ssFallback, access, agentPid);
            });
    connect(m_session, &RemoteSession::labAnswered, this,
            [this, session = m_session](std::uint64_t request, const ConsoleAnswer &answer) {
                handOverAcquire(session);
                Q_EMIT labAnswered(request, answer);
            });
    connect(m_session, &RemoteSession::labEvent, this,
            [this, session = m_session](const LabEvent &event) {
                handOverAcquire(session);
                Q_EMIT labEvent(event);
            });
    connect(m_session, &RemoteSession::labLost, this,
            [this, session = m_session](const QString &why) {
                handOverAcquire(session);
                Q_EMIT labLost(why);
            });
    m_thread->start();
}

RemoteSource::~RemoteSource()
{
    // Waiting costs at most the end of a parse under way (dispose() waits for
    // nothing).
    endSession();
    m_thread->wait();
    handOverAcquire(m_thread);
    delete m_thread;
}

void RemoteSource::endSession()
{
    // The session goes on its own thread (its QProcess is that thread's), and
    // the thread with it.
    RemoteSession *session = std::exchange(m_session, nullptr);
    if (!session)
        return;
    invokeHandedOver(session, [session] {
        delete session;
        QThread::currentThread()->quit();
    });
}

void RemoteSource::dispose()
{
    disconnectReceivers();
    disconnect(this, &RemoteSource::connected, nullptr, nullptr);
    disconnect(this, &RemoteSource::fatalError, nullptr, nullptr);
    disconnect(this, &RemoteSource::labAnswered, nullptr, nullptr);
    disconnect(this, &RemoteSource::labEvent, nullptr, nullptr);
    disconnect(this, &RemoteSource::labLost, nullptr, nullptr);
    if (!m_session) { // never started (see the constructor)
        deleteLater();
        return;
    }
    connect(m_thread, &QThread::finished, this, &QObject::deleteLater);
    endSession();
}

QString RemoteSource::accessSummary() const
{
    return m_access;
}

void RemoteSource::start()
{
    if (!m_startRefusal.isEmpty()) {
        Q_EMIT pollFailed(m_startRefusal);
        return;
    }
    const RemoteSettings settings = m_settings;
    // The calls capture the session, never `this`: a RemoteSource's members
    // are the GUI thread's, and the session thread must not read them.
    RemoteSession *session = m_session;
    if (!session)
        return;
    invokeHandedOver(session, [session, settings] { session->start(settings); });
}

void RemoteSource::stop()
{
    RemoteSession *session = m_session;
    if (!session)
        return;
    invokeHandedOver(session, [session] { session->stop(); });
}

void RemoteSource::submitLab(std::uint64_t request, const QString &line)
{
    RemoteSession *session = m_session;
    if (!session) {
        // Queued as the session's answers are: the caller notes its request first.
        QMetaObject::invokeMethod(
            this,
            [this, request, why = m_startRefusal] {
                Q_EMIT labAnswered(request, ConsoleAnswer::failure(Error{EMFILE, why}));
            },
            Qt::QueuedConnection);
        return;
    }
    invokeHandedOver(session, [session, request, line] { session->sendLab(request, line); });
}

void RemoteSource::setIntervalMs(int intervalMs)
{
    // Clamped once: the session uses it for the next reconnect's command.
    const int clamped = qBound(20, intervalMs, 60000);
    m_settings.intervalMs = clamped;
    RemoteSession *session = m_session;
    if (!session)
        return;
    invokeHandedOver(session, [session, clamped] { session->setIntervalMs(clamped); });
}

void RemoteSource::setPaused(bool paused)
{
    RemoteSession *session = m_session;
    if (!session)
        return;
    invokeHandedOver(session, [session, paused] { session->setPaused(paused); });
}

void RemoteSource::onConnected(const QString &summary, bool ssFallback, const QString &access,
                               int agentPid)
{
    m_summary = summary;
    m_ssFallback = ssFallback;
    m_agentPid = agentPid;
    if (access != m_access) {
        m_access = access;
        Q_EMIT accessChanged(m_access);
    }
    Q_EMIT connected(m_summary);
}

} // namespace sockscope
