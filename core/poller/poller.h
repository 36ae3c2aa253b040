// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "netlink/dumpfilter.h"
#include "poller/pollbatch.h"

#include <atomic>
#include <memory>
#include <QObject>

class QThread;
class QTimer;
class QSocketNotifier;

namespace sockscope {

class ConnectionTracker;
class DestroyWatcher;
class DiagClient;
class OwnerResolver;

// Polls sock_diag on its own thread and emits one PollBatch per poll (and per
// batch of destroy notices) through queued signals. Construct it on the GUI
// thread; every slot may be called from any thread (they are queued to the
// poller's thread), so the caller never blocks on netlink or procfs.
class Poller : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultIntervalMs = 250;
    static constexpr int kMinimumIntervalMs = 20;
    static constexpr int kMaximumIntervalMs = 60000;

    explicit Poller(DumpFilter filter = {}, QObject *parent = nullptr);
    ~Poller() override;

    // Starts the thread and the first poll at once.
    void start();
    // Stops polling and joins the thread. Safe to call twice.
    void stop();

public Q_SLOTS:
    // Clamped to [kMinimumIntervalMs, kMaximumIntervalMs].
    void setIntervalMs(int intervalMs);
    void setPaused(bool paused);
    void pollNow();

Q_SIGNALS:
    void batchReady(const sockscope::PollBatch &batch);
    // A poll failed (e.g. descriptor exhaustion); polling goes on.
    void pollFailed(const QString &message);

private:
    class Worker;
    QThread *m_thread = nullptr;
    Worker *m_worker = nullptr;
    DumpFilter m_filter;
    int m_intervalMs = kDefaultIntervalMs;
    std::atomic<bool> m_pollQueued{false};
};

} // namespace sockscope
