// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/remotesource.h"

#include "remote/remoteaccess.h"
#include "util/threadhandover.h"

#include <QThread>

namespace sockscope {

RemoteSource::RemoteSource(SshTarget target, QObject *parent)
    : SocketSource(parent), m_target(target), m_access(connectingAccess())
{
    qRegisterMetaType<sockscope::PollBatch>();
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("sockscope-remote"));
    m_session = new RemoteSession(std::move(target));
    m_session->moveToThread(m_thread);
    releaseOnFinish(m_thread);
    // Connected first, so they run before the receivers' slots: take the
    // session's hand-over (util/threadhandover.h) for every receiver here.
    connect(m_session, &RemoteSession::batchReady, this, [this] { handOverAcquire(m_session); });
    connect(m_session, &RemoteSession::pollFailed, this, [this] { handOverAcquire(m_session); });
    connect(m_session, &RemoteSession::pollRecovered, this, [this] { handOverAcquire(m_session); });
    // Signal to signal: the batch is copied once, on the session's thread.
    connect(m_session, &RemoteSession::batchReady, this, &SocketSource::batchReady);
    connect(m_session, &RemoteSession::pollFailed, this, &SocketSource::pollFailed);
    connect(m_session, &RemoteSession::pollRecovered, this, &SocketSource::pollRecovered);
    connect(m_session, &RemoteSession::fatalError, this, &RemoteSource::fatalError);
    connect(m_session, &RemoteSession::connected, this, &RemoteSource::onConnected);
    m_thread->start();
}

RemoteSource::~RemoteSource()
{
    // The session goes on its own thread (its QProcess is that thread's);
    // waiting for it costs at most the end of a parse under way.
    RemoteSession *session = m_session;
    invokeHandedOver(session, [session] {
        delete session;
        QThread::currentThread()->quit();
    });
    m_thread->wait();
    handOverAcquire(m_thread);
    delete m_thread;
}

QString RemoteSource::accessSummary() const
{
    return m_access;
}

void RemoteSource::start()
{
    const RemoteSettings settings = m_settings;
    invokeHandedOver(m_session, [this, settings] { m_session->start(settings); });
}

void RemoteSource::stop()
{
    invokeHandedOver(m_session, [this] { m_session->stop(); });
}

void RemoteSource::setIntervalMs(int intervalMs)
{
    m_settings.intervalMs = qBound(20, intervalMs, 60000);
    invokeHandedOver(m_session, [this, intervalMs] { m_session->setIntervalMs(intervalMs); });
}

void RemoteSource::setPaused(bool paused)
{
    invokeHandedOver(m_session, [this, paused] { m_session->setPaused(paused); });
}

void RemoteSource::onConnected(const QString &summary, bool ssFallback, const QString &access)
{
    handOverAcquire(m_session);
    m_summary = summary;
    m_ssFallback = ssFallback;
    if (access != m_access) {
        m_access = access;
        Q_EMIT accessChanged(m_access);
    }
    Q_EMIT connected(m_summary);
}

} // namespace sockscope
