// SPDX-License-Identifier: GPL-3.0-or-later
#include "poller/poller.h"

#include "events/connectiontracker.h"
#include "netlink/destroywatcher.h"
#include "netlink/diagclient.h"
#include "owners/ownerresolver.h"
#include "util/monotonic.h"

#include <algorithm>
#include <QElapsedTimer>
#include <QFile>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>

namespace sockscope {

// Lives on the poller thread; owns every kernel- and procfs-facing object.
class Poller::Worker : public QObject
{
    Q_OBJECT
public:
    Worker(Poller *owner, DumpFilter filter, int intervalMs)
        : m_owner(owner), m_filter(filter), m_intervalMs(intervalMs)
    {
    }

    void begin()
    {
        m_ephemeralPortStart = readEphemeralPortStart();
        m_timer = new QTimer(this);
        m_timer->setTimerType(Qt::PreciseTimer);
        connect(m_timer, &QTimer::timeout, this, &Worker::poll);
        if (auto watcher = DestroyWatcher::open()) {
            m_destroyWatcher = std::move(*watcher);
            m_notifier = new QSocketNotifier(m_destroyWatcher->fd(), QSocketNotifier::Read, this);
            connect(m_notifier, &QSocketNotifier::activated, this, &Worker::readDestroyed);
        }
        poll();
        m_timer->start(m_intervalMs);
    }

    void end()
    {
        delete m_notifier;
        m_notifier = nullptr;
        delete m_timer;
        m_timer = nullptr;
        m_destroyWatcher.reset();
        m_client.reset();
    }

    void setInterval(int intervalMs)
    {
        m_intervalMs = intervalMs;
        if (m_timer && m_timer->isActive())
            m_timer->start(intervalMs);
    }

    void setPaused(bool paused)
    {
        if (!m_timer)
            return;
        if (paused)
            m_timer->stop();
        else if (!m_timer->isActive())
            m_timer->start(m_intervalMs);
    }

    void poll()
    {
        // Notices that arrived before this dump belong before it; reading them
        // here also keeps a busy poll queue from starving the notifier.
        if (m_destroyWatcher)
            readDestroyed();
        QElapsedTimer total;
        total.start();
        if (!m_client) {
            auto client = DiagClient::open();
            if (!client) {
                Q_EMIT m_owner->pollFailed(client.error().message);
                return;
            }
            m_client = std::move(*client);
        }
        QElapsedTimer phase;
        phase.start();
        auto dump = m_client->dump(m_filter);
        const std::int64_t now = monotonicMs();
        if (!dump) {
            // A broken socket (e.g. after ENOBUFS storms) is reopened next time.
            m_client.reset();
            Q_EMIT m_owner->pollFailed(dump.error().message);
            return;
        }
        PollBatch batch;
        batch.stats.dumpUs = phase.nsecsElapsed() / 1000;
        phase.restart();
        m_owners.refresh(*dump);
        batch.stats.ownersUs = phase.nsecsElapsed() / 1000;
        batch.initial = !m_tracker.started();
        auto diff = m_tracker.apply(
            *dump, now, [this](const SocketRecord &socket) { return m_owners.lookup(socket); });
        batch.timeMs = now;
        batch.events = std::move(diff.events);
        batch.updated = std::move(diff.updated);
        batch.stats.pollNumber = ++m_polls;
        batch.stats.socketCount = static_cast<int>(dump->size());
        batch.stats.ownersScanned = m_owners.lastScan().scanned;
        batch.stats.ownersComplete = m_owners.sawEverything();
        batch.stats.destroyNotices = m_destroyWatcher != nullptr;
        batch.stats.ephemeralPortStart = m_ephemeralPortStart;
        batch.stats.totalUs = total.nsecsElapsed() / 1000;
        Q_EMIT m_owner->batchReady(batch);
    }

    void readDestroyed()
    {
        auto destroyed = m_destroyWatcher->readPending();
        if (!destroyed) {
            Q_EMIT m_owner->pollFailed(destroyed.error().message);
            return;
        }
        // The tracker settles them at the next poll, where a timewait successor
        // may show they were not the end of their connection.
        // Notices come for every socket of the namespace: keep what the dump's
        // filter would have kept (a notice keeps the local port; the remote one
        // may already be cleared).
        std::erase_if(*destroyed, [this](const SocketRecord &socket) {
            return (m_filter.family && socket.family != *m_filter.family) ||
                   (m_filter.port && !touchesPort(socket, *m_filter.port));
        });
        if (!destroyed->empty() && m_tracker.started())
            m_tracker.applyDestroyed(*destroyed, monotonicMs());
    }

private:
    static int readEphemeralPortStart()
    {
        QFile file(QStringLiteral("/proc/sys/net/ipv4/ip_local_port_range"));
        if (!file.open(QIODevice::ReadOnly))
            return 32768;
        bool ok = false;
        const int start = QString::fromLatin1(file.readAll())
                              .simplified()
                              .section(QLatin1Char(' '), 0, 0)
                              .toInt(&ok);
        return ok ? start : 32768;
    }

    Poller *m_owner;
    int m_ephemeralPortStart = 32768;
    DumpFilter m_filter;
    int m_intervalMs;
    int m_polls = 0;
    QTimer *m_timer = nullptr;
    QSocketNotifier *m_notifier = nullptr;
    std::unique_ptr<DiagClient> m_client;
    std::unique_ptr<DestroyWatcher> m_destroyWatcher;
    OwnerResolver m_owners;
    ConnectionTracker m_tracker;
};

Poller::Poller(DumpFilter filter, QObject *parent) : QObject(parent), m_filter(filter)
{
    qRegisterMetaType<sockscope::PollBatch>();
}

Poller::~Poller()
{
    stop();
}

void Poller::start()
{
    if (m_thread)
        return;
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("sockscope-poller"));
    m_worker = new Worker(this, m_filter, m_intervalMs);
    m_worker->moveToThread(m_thread);
    m_thread->start();
    QMetaObject::invokeMethod(m_worker, &Worker::begin, Qt::QueuedConnection);
}

void Poller::stop()
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(m_worker, &Worker::end, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
    m_worker = nullptr;
    delete m_thread;
    m_thread = nullptr;
}

void Poller::setIntervalMs(int intervalMs)
{
    m_intervalMs = std::clamp(intervalMs, kMinimumIntervalMs, kMaximumIntervalMs);
    if (m_worker) {
        const int value = m_intervalMs;
        QMetaObject::invokeMethod(m_worker, [this, value] { m_worker->setInterval(value); });
    }
}

void Poller::setPaused(bool paused)
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, [this, paused] { m_worker->setPaused(paused); });
}

void Poller::pollNow()
{
    // One queued request at most: callers faster than a poll must not pile up
    // a backlog the worker never catches up with.
    if (!m_worker || m_pollQueued.exchange(true))
        return;
    QMetaObject::invokeMethod(m_worker, [this] {
        m_pollQueued = false;
        m_worker->poll();
    });
}

} // namespace sockscope

#include "poller.moc"
