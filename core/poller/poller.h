// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "netlink/dumpfilter.h"
#include "netns/networknamespace.h"
#include "poller/pollbatch.h"
#include "poller/pollcadence.h"
#include "poller/socketsource.h"

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <QString>

class QThread;
class QTimer;
class QSocketNotifier;

namespace sockscope {

class ConnectionTracker;
class DestroyWatcher;
class DiagClient;
class OwnerResolver;

// Follows the kernel's TCP transitions (tracepoints, when allowed) and polls
// sock_diag for what they do not carry, on its own thread, and emits PollBatches
// on the thread it lives on: one per dump, and while tracing one every few
// tens of milliseconds of activity. Construct it on the GUI
// thread; every slot may be called from any thread (they are queued to the
// poller's thread), so the caller never blocks on netlink or procfs.
class Poller : public SocketSource
{
    Q_OBJECT
public:
    static constexpr int kDefaultIntervalMs = 250;
    static constexpr int kMinimumIntervalMs = 20;
    static constexpr int kMaximumIntervalMs = 60000;

    explicit Poller(DumpFilter filter = {}, QObject *parent = nullptr);
    ~Poller() override;

    // Before start(): follow transitions through the kernel's tracepoints when
    // allowed (the default); false polls only. Either way batches tell which.
    void setTracing(bool wanted) { m_traceWanted = wanted; }
    // Before start(): when polling only, the share of one core polling may
    // take; the interval stretches beyond the chosen one to keep under it
    // (PollStats::backedOff).
    void setMaxPollingShare(double share) { m_maxPollingShare = share; }
    // Before start(): dump, trace and find owners in this network namespace
    // (default: the one the process is in).
    void setNetworkNamespace(NetworkNamespace ns) { m_namespace = std::move(ns); }
    const NetworkNamespace &networkNamespace() const { return m_namespace; }

    // Starts the thread and the first poll at once.
    void start() override;
    // Stops polling and joins the thread. Safe to call twice.
    void stop() override;
    void dispose() override;

public Q_SLOTS:
    // Clamped to [kMinimumIntervalMs, kMaximumIntervalMs].
    void setIntervalMs(int intervalMs) override;
    void setPaused(bool paused) override;
    void pollNow() override;
    // While tracing: also dump this port (through the kernel filter) at the
    // poll interval, so the port a user looks at has fresh queues, timers
    // and owners between the slow full dumps. 0: none.
    void setFocusPort(int port) override;

private:
    class Worker;
    // Tries start() again while no descriptor is left for the thread.
    QTimer *m_startRetry = nullptr;
    // The start waited for a descriptor: the first batch says recovered.
    bool m_recoverWithFirstBatch = false;
    QThread *m_thread = nullptr;
    Worker *m_worker = nullptr;
    DumpFilter m_filter;
    NetworkNamespace m_namespace;
    int m_intervalMs = kDefaultIntervalMs;
    bool m_traceWanted = true;
    double m_maxPollingShare = PollCadence::kDefaultMaxShare;
    std::atomic<bool> m_pollQueued{false};

    // What the worker hands this object's thread. Through a mailbox under a
    // std::mutex rather than a queued signal: the receivers here share one
    // batch instead of a copy each, and the lock orders the worker's writes
    // before their reads where sanitizers can see it (Qt's own queue is
    // ordered by futexes they cannot).
    struct Delivery
    {
        enum class Kind
        {
            Batch,
            Failed,
            Recovered
        } kind = Kind::Batch;
        PollBatch batch;
        QString message; // Failed
    };
    // Worker thread: queues it, and a delivery here if none is pending.
    void post(Delivery delivery);
    // This object's thread: emits what was posted, oldest first.
    void deliverPosted();
    std::mutex m_mailboxMutex;
    std::deque<Delivery> m_mailbox;
    // Batches posted by the worker and not yet delivered here: while the
    // receivers lag (a busy GUI thread), the worker merges instead of queueing.
    std::atomic<int> m_batchesQueued{0};
};

} // namespace sockscope
