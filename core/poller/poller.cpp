// SPDX-License-Identifier: GPL-3.0-or-later
#include "poller/poller.h"

#include "events/connectiontracker.h"
#include "netlink/destroywatcher.h"
#include "netlink/diagclient.h"
#include "netns/namespacescope.h"
#include "owners/ownerresolver.h"
#include "poller/pollcadence.h"
#include "trace/tracesource.h"
#include "util/descriptorcount.h"
#include "util/freedmemory.h"
#include "util/monotonic.h"
#include "util/threadhandover.h"

#include <algorithm>
#include <ctime>
#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>
#include <sys/stat.h>
#include <utility>

namespace sockscope {

namespace {
std::int64_t threadCpuUs()
{
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
}

} // namespace

// Lives on the poller thread; owns every kernel- and procfs-facing object.
class Poller::Worker : public QObject
{
    Q_OBJECT
public:
    Worker(Poller *owner, DumpFilter filter, NetworkNamespace ns, int intervalMs, bool traceWanted,
           double maxShare)
        : m_owner(owner), m_filter(filter), m_namespace(std::move(ns)), m_intervalMs(intervalMs),
          m_traceWanted(traceWanted)
    {
        m_cadence.setMaxShare(maxShare);
    }

    void begin()
    {
        enterNamespace();
        m_timer = new QTimer(this);
        m_timer->setTimerType(Qt::PreciseTimer);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, &Worker::poll);
        m_flushTimer = new QTimer(this);
        m_flushTimer->setSingleShot(true);
        connect(m_flushTimer, &QTimer::timeout, this, [this] { emitPending(); });
        m_focusTimer = new QTimer(this);
        connect(m_focusTimer, &QTimer::timeout, this, &Worker::pollFocus);
        m_dueTimer = new QTimer(this);
        m_dueTimer->setSingleShot(true);
        connect(m_dueTimer, &QTimer::timeout, this, &Worker::readTrace);
        if (auto watcher = DestroyWatcher::open(m_namespace)) {
            m_destroyWatcher = std::move(*watcher);
            m_notifier = new QSocketNotifier(m_destroyWatcher->fd(), QSocketNotifier::Read, this);
            connect(m_notifier, &QSocketNotifier::activated, this, &Worker::readDestroyed);
        }
        openTrace();
        updateFocusTimer();
        poll();
    }

    void end()
    {
        delete m_notifier;
        m_notifier = nullptr;
        delete m_traceNotifier;
        m_traceNotifier = nullptr;
        delete m_traceTimer;
        m_traceTimer = nullptr;
        delete m_timer;
        m_timer = nullptr;
        delete m_flushTimer;
        m_flushTimer = nullptr;
        delete m_dueTimer;
        m_dueTimer = nullptr;
        delete m_focusTimer;
        m_focusTimer = nullptr;
        m_trace.reset();
        m_destroyWatcher.reset();
        m_client.reset();
    }

    void setInterval(int intervalMs)
    {
        m_intervalMs = intervalMs;
        if (m_timer && m_timer->isActive())
            m_timer->start(nextDumpInMs());
        updateFocusTimer();
    }

    void setPaused(bool paused)
    {
        m_paused = paused;
        updateFocusTimer();
        if (!m_timer)
            return;
        if (paused)
            m_timer->stop();
        else if (!m_timer->isActive())
            m_timer->start(nextDumpInMs());
    }

    // A poll someone asked for (after a lab action) answers with owners as
    // they are now, even where that takes a full pass of /proc.
    void pollAsked()
    {
        m_owners.fullPassNext();
        m_stats.asked = true;
        poll();
        m_stats.asked = false;
    }

    void poll()
    {
        if (!m_timer)
            return; // a request queued before end()
        // Notices and transitions that came before this dump belong before it;
        // reading them here also keeps a busy poll queue from starving them.
        readTrace();
        if (m_destroyWatcher)
            readDestroyed();
        if (holdBackDump())
            return;
        QElapsedTimer total;
        total.start();
        const std::int64_t cpuStartUs = threadCpuUs();
        if (!m_client) {
            auto client = DiagClient::open(m_namespace);
            if (!client) {
                reportFailure(client.error());
                scheduleDump();
                return;
            }
            m_client = std::move(*client);
        }
        QElapsedTimer phase;
        phase.start();
        const std::int64_t dumpStartNs = monotonicNs();
        auto dump = m_client->dump(m_filter);
        const std::int64_t now = monotonicMs();
        if (!dump) {
            // A broken socket (e.g. after ENOBUFS storms) is reopened next time.
            m_client.reset();
            reportFailure(dump.error());
            scheduleDump();
            return;
        }
        if (m_failedErrno != 0) {
            m_failedErrno = 0;
            m_owner->post({Delivery::Kind::Recovered, {}, {}});
        }
        PollStats &stats = m_stats;
        stats.dumpUs = phase.nsecsElapsed() / 1000;
        phase.restart();
        m_owners.refresh(*dump);
        stats.ownersUs = phase.nsecsElapsed() / 1000;
        const bool initial = !m_tracker.started();
        const auto owners = [this](const SocketRecord &socket) { return m_owners.lookup(socket); };
        if (!initial)
            drainTrace(true); // what changed during the dump, before the dump's word
        ConnectionTracker::Diff diff = m_tracker.apply(*dump, now, owners, dumpStartNs);
        noteDumpChanged(!diff.empty());
        appendDiff(std::move(diff));
        if (initial)
            drainTrace(true);
        stats.pollNumber = ++m_polls;
        stats.socketCount = static_cast<int>(dump->size());
        stats.ownersScanned = m_owners.lastScan().scanned;
        stats.ownersComplete = m_owners.sawEverything();
        stats.destroyNotices = m_destroyWatcher != nullptr;
        stats.ephemeralPortStart = m_ephemeralPortStart;
        stats.ephemeralPortEnd = m_ephemeralPortEnd;
        stats.totalUs = total.nsecsElapsed() / 1000;
        m_lastDumpUs = stats.totalUs;
        m_lastDumpDoneMs = monotonicMs();
        // The batch is built here too: part of what one poll costs.
        const bool big = emitPending(initial, cpuStartUs) || dump->size() >= kBigBatchItems;
        scheduleDump();
        // A big machine's dump, owners and batch leave megabytes of freed
        // heap behind each poll: give them back rather than keep the peak.
        if (big) {
            *dump = {};
            returnFreedMemory();
        }
    }

    // A failure that lasts (EMFILE until descriptors are freed) is reported
    // once, not at every poll, until a dump succeeds again.
    void reportFailure(const Error &error)
    {
        if (error.errnum != 0 && error.errnum == m_failedErrno)
            return;
        m_failedErrno = error.errnum;
        m_owner->post({Delivery::Kind::Failed, {}, error.message});
    }

    void setFocusPort(int port)
    {
        m_focusPort = port;
        updateFocusTimer();
    }

    // The focused port's own dump: owners from the cache (a full refresh
    // needs the whole dump), vanished connections only among that port's.
    void pollFocus()
    {
        if (!m_timer || !m_trace || m_focusPort == 0 || !m_client || !m_tracker.started())
            return;
        DumpFilter filter = m_filter;
        if (filter.port && *filter.port != m_focusPort)
            return;
        filter.port = static_cast<std::uint16_t>(m_focusPort);
        drainTrace(true);
        const std::int64_t dumpStartNs = monotonicNs();
        auto dump = m_client->dump(filter);
        if (!dump) {
            m_client.reset();
            reportFailure(dump.error());
            return;
        }
        const std::int64_t now = monotonicMs();
        drainTrace(true);
        appendDiff(m_tracker.apply(
            *dump, now, [this](const SocketRecord &socket) { return m_owners.lookup(socket); },
            dumpStartNs, filter.port));
        emitPending();
    }

    void readDestroyed()
    {
        auto destroyed = m_destroyWatcher->readPending();
        if (!destroyed) {
            reportFailure(destroyed.error());
            return;
        }
        // Notices come for every socket of the namespace: keep what the dump's
        // filter would have kept (a notice keeps the local port; the remote one
        // may already be cleared).
        std::erase_if(*destroyed, [this](const SocketRecord &socket) {
            return (m_filter.family && socket.family != *m_filter.family) ||
                   (m_filter.port && !touchesPort(socket, *m_filter.port));
        });
        // The tracker settles them at the next poll, where a timewait
        // successor may show they were not the end of their connection.
        if (!destroyed->empty() && m_tracker.started())
            m_tracker.applyDestroyed(*destroyed, monotonicMs());
    }

private:
    // What belongs to the namespace shown and is read once: its port range,
    // its identity for the trace filter and the owners.
    void enterNamespace()
    {
        auto scope = NamespaceScope::enter(m_namespace);
        if (!scope) {
            // The dump says why at each try; the trace still filters on it.
            m_stats.networkNamespace = m_namespace.inode();
            return;
        }
        readEphemeralPortRange();
        m_stats.networkNamespace = currentNetworkNamespaceInode();
        if (!m_namespace.chosen())
            return;
        struct stat net = {};
        const ino_t netInode = ::stat("/proc/thread-self/net/tcp", &net) == 0 ? net.st_ino : 0;
        m_owners.setNetworkNamespace({m_namespace.device(), m_namespace.inode()}, netInode);
    }

    void updateFocusTimer()
    {
        if (!m_focusTimer)
            return;
        if (m_trace && m_focusPort != 0 && !m_paused)
            m_focusTimer->start(m_intervalMs);
        else
            m_focusTimer->stop();
    }

    void openTrace()
    {
        if (!m_traceWanted) {
            m_stats.traceNotice =
                QStringLiteral("Polling (tracing turned off): states that last less than one poll "
                               "interval are missed.");
            return;
        }
        TraceOptions options;
        options.family = m_filter.family;
        options.port = m_filter.port;
        options.wakeupBytes = kTraceWakeupBytes;
        if (m_stats.networkNamespace != 0)
            options.networkNamespace = static_cast<std::uint32_t>(m_stats.networkNamespace);
        auto trace = TraceSource::open(options);
        if (!trace) {
            m_stats.traceNotice =
                QStringLiteral("Polling: states that last less than one poll interval are "
                               "missed. To see every transition: %1")
                    .arg(trace.error().message);
            return;
        }
        m_trace = std::move(*trace);
        m_tracker.setTracing(true);
        m_stats.tracing = true;
        m_stats.traceNotice = m_trace->missedNotice();
        // Idle, the kernel wakes us for the first record after a drain (see
        // TraceOptions::wakeupBytes); busy, a timer drains every kTraceReadMs
        // instead, until a drain finds nothing: no wakeups while nothing
        // happens, a few per batch when much does.
        m_traceNotifier = new QSocketNotifier(m_trace->fd(), QSocketNotifier::Read, this);
        connect(m_traceNotifier, &QSocketNotifier::activated, this, [this] {
            m_traceNotifier->setEnabled(false);
            readTrace();
            m_traceTimer->start(kTraceReadMs);
        });
        m_traceTimer = new QTimer(this);
        m_traceTimer->setSingleShot(true);
        connect(m_traceTimer, &QTimer::timeout, this, [this] {
            if (readTrace())
                m_traceTimer->start(kTraceReadMs);
            else
                m_traceNotifier->setEnabled(true);
        });
        // Every full socket's end is traced; the destroy notices would only
        // cost a read per socket at storm rates (request sockets' ends come
        // from the dump instead).
        delete m_notifier;
        m_notifier = nullptr;
        m_destroyWatcher.reset();
    }

    // Whether it read anything (or still holds events in the reorder window).
    bool readTrace()
    {
        if (!m_trace || !m_timer || !m_tracker.started())
            return false;
        const std::uint64_t before = m_stats.traceEvents;
        drainTrace(false);
        return m_stats.traceEvents != before || m_trace->msUntilDue() >= 0;
    }

    // Applies what the ring buffer holds. `all`: also the events still inside
    // the reorder window (before and after a dump, so the dump is placed
    // exactly among them).
    void drainTrace(bool all)
    {
        if (!m_trace)
            return;
        // Straight into the pending batch: no copy per event.
        const std::uint64_t before = m_stats.traceEvents;
        const auto apply = [&](const TraceEvent &event) {
            ++m_stats.traceEvents;
            m_tracker.applyTrace(event, m_pending);
        };
        if (auto drained = m_trace->drain(apply); !drained)
            reportFailure(drained.error());
        if (all)
            m_trace->flush(apply);
        if (m_stats.traceEvents != before) {
            endQuiet();
            countRecentEvents(m_stats.traceEvents - before);
        }
        const TraceLosses losses = m_trace->losses();
        m_stats.traceDrops = losses.bufferFull;
        m_stats.traceSkipped = losses.skipped;
        if (const int due = m_trace->msUntilDue(); due >= 0)
            m_dueTimer->start(due);
        // Many small batches would cost the receivers more than one: gather
        // for a moment, then hand out.
        if (!m_pending.empty() && !m_flushTimer->isActive())
            m_flushTimer->start(kTraceBatchMs);
    }

    void appendDiff(ConnectionTracker::Diff diff)
    {
        if (m_pending.empty()) {
            m_pending = std::move(diff); // the usual case: no copy at all
            return;
        }
        m_pending.events.insert(m_pending.events.end(),
                                std::make_move_iterator(diff.events.begin()),
                                std::make_move_iterator(diff.events.end()));
        m_pending.updated.insert(m_pending.updated.end(),
                                 std::make_move_iterator(diff.updated.begin()),
                                 std::make_move_iterator(diff.updated.end()));
    }

    // pollCpuStartUs >= 0: a full dump's batch; its CPU, from then until
    // the batch leaves, sets the polling cadence. Returns whether the batch
    // was big (see returnFreedMemory()).
    bool emitPending(bool initial = false, std::int64_t pollCpuStartUs = -1)
    {
        m_flushTimer->stop();
        if (m_pending.empty() && m_polls > 0 && !initial && m_lastEmittedPoll == m_polls)
            return false;
        // A receiver slower than the trace and the dumps (a busy or starved
        // GUI thread) would otherwise collect queued batches without bound:
        // what changed waits here instead, merged into one batch (each
        // connection once) for when the receiver is free.
        if (!initial && m_owner->m_batchesQueued.load() >= kMaxBatchesQueued) {
            m_flushTimer->start(kTraceBatchMs);
            return false;
        }
        PollBatch batch;
        batch.timeMs = monotonicMs();
        batch.initial = initial;
        // Whatever their source, events leave in time order.
        const auto earlier = [](const SocketEvent &a, const SocketEvent &b) {
            return a.timeNs < b.timeNs;
        };
        // Traced events come sorted; only a dump's or a notice's are mixed in.
        if (!std::is_sorted(m_pending.events.begin(), m_pending.events.end(), earlier))
            std::stable_sort(m_pending.events.begin(), m_pending.events.end(), earlier);
        batch.events = std::move(m_pending.events);
        // Receivers apply `updated` after the events: each must be the
        // connection as it is now, not as an earlier dump of this batch saw it.
        QSet<std::uint64_t> listed;
        for (const ConnectionView &stale : m_pending.updated) {
            if (listed.contains(stale.id) || !m_tracker.live().contains(stale.id))
                continue;
            listed.insert(stale.id);
            batch.updated.push_back(m_tracker.live().value(stale.id));
        }
        m_pending = {};
        if (pollCpuStartUs >= 0) {
            m_stats.pollCpuUs = threadCpuUs() - pollCpuStartUs;
            // The first poll reads every process's descriptors and creates
            // every connection: a one-off, not what polling costs.
            if (!initial)
                m_cadence.addPollCost(m_stats.pollCpuUs);
        }
        m_stats.dumpIntervalMs = nextDumpInMs();
        m_stats.backedOff = !m_trace && m_cadence.backedOff(m_intervalMs, kMaximumIntervalMs);
        batch.stats = m_stats;
        m_lastEmittedPoll = m_polls;
        const bool big = batch.events.size() + batch.updated.size() >= kBigBatchItems;
        ++m_owner->m_batchesQueued;
        m_owner->post({Delivery::Kind::Batch, std::move(batch), {}});
        return big;
    }

    // Tracing: the dump only refreshes what the trace does not carry, so it
    // runs at most a few percent of the time (kTraceDumpShare), never more
    // often than the interval, never less than every kTraceMaxDumpMs.
    // Polling only: the user's interval, stretched by what a poll costs
    // (PollCadence).
    // While tracing, each full dump that found nothing new doubles the wait
    // for the next, up to kTraceMaxDumpMs.
    int nextDumpInMs() const
    {
        const int cadence = dumpCadenceMs();
        // A socket whose holder went away stays Unknown (its last owner shown)
        // until the owners' next full pass: no later than that is allowed.
        const int confirm = m_owners.msUntilConfirmation();
        return confirm < 0 ? cadence : std::min(cadence, std::max(confirm, m_intervalMs));
    }

    int dumpCadenceMs() const
    {
        if (!m_trace)
            return m_cadence.intervalMs(m_intervalMs, kMaximumIntervalMs);
        const auto costMs = static_cast<int>(m_lastDumpUs / 1000);
        const int most = std::max(m_intervalMs, kTraceMaxDumpMs);
        const int busy =
            std::clamp(costMs * kTraceDumpShare, std::max(m_intervalMs, kTraceMinDumpMs), most);
        return static_cast<int>(
            std::min<std::int64_t>(static_cast<std::int64_t>(busy) << m_quietDumps, most));
    }

    // Idle sockets change nothing a dump reads (queues, timers, owners) until
    // something happens to them, and what happens is traced.
    void noteDumpChanged(bool changed)
    {
        if (!m_trace)
            return;
        m_quietDumps = changed ? 0 : std::min(m_quietDumps + 1, kTraceMaxQuietDumps);
    }

    // A traced change ends a quiet spell: its queues and owner (a new
    // connection has none yet) come with the next dump at the busy cadence.
    void endQuiet()
    {
        if (m_quietDumps == 0)
            return;
        m_quietDumps = 0;
        if (m_timer && m_timer->isActive() && m_timer->remainingTime() > nextDumpInMs())
            m_timer->start(nextDumpInMs());
    }

    // A full dump of a busy machine takes a second or more, and while a storm
    // goes on the ring buffer fills up behind it (events lost): while the
    // trace reads more than kStormEventsPerSecond, a due dump waits, for at
    // most kTraceMaxDumpMs since the last one. Never the first dump.
    bool holdBackDump()
    {
        if (!m_trace || m_polls == 0)
            return false;
        const std::int64_t now = monotonicMs();
        countRecentEvents(0);
        const bool storm =
            std::max(m_eventsThisSecond, m_eventsLastSecond) >= kStormEventsPerSecond;
        if (!storm || now - m_lastDumpDoneMs >= kTraceMaxDumpMs)
            return false;
        if (m_timer && !m_paused)
            m_timer->start(kStormRetryMs);
        return true;
    }

    void countRecentEvents(std::uint64_t events)
    {
        const std::int64_t now = monotonicMs();
        if (now - m_secondStartMs >= 1000) {
            // A second with nothing read in between counts as quiet.
            m_eventsLastSecond = now - m_secondStartMs < 2000 ? m_eventsThisSecond : 0;
            m_eventsThisSecond = 0;
            m_secondStartMs = now;
        }
        m_eventsThisSecond += events;
    }

    void scheduleDump()
    {
        if (m_timer && !m_paused)
            m_timer->start(nextDumpInMs());
    }

    void readEphemeralPortRange()
    {
        QFile file(QStringLiteral("/proc/sys/net/ipv4/ip_local_port_range"));
        if (!file.open(QIODevice::ReadOnly))
            return;
        const QString text = QString::fromLatin1(file.readAll()).simplified();
        bool startOk = false;
        bool endOk = false;
        const int start = text.section(QLatin1Char(' '), 0, 0).toInt(&startOk);
        const int end = text.section(QLatin1Char(' '), 1, 1).toInt(&endOk);
        if (startOk && endOk && start <= end) {
            m_ephemeralPortStart = start;
            m_ephemeralPortEnd = end;
        }
    }

    static constexpr int kTraceBatchMs = 30;
    // Batches handed out and not yet reached by the receivers' thread, at most.
    static constexpr int kMaxBatchesQueued = 2;
    static constexpr int kTraceReadMs = 10;
    static constexpr std::uint32_t kTraceWakeupBytes = 64 * 1024;
    static constexpr int kTraceDumpShare = 40; // a dump costing 25 ms runs every second
    static constexpr int kTraceMinDumpMs = 1000;
    static constexpr int kTraceMaxDumpMs = 10000;
    static constexpr int kTraceMaxQuietDumps = 4; // enough to reach the maximum from 1 s
    static constexpr std::uint64_t kStormEventsPerSecond = 5000;
    static constexpr int kStormRetryMs = 250;

    Poller *m_owner;
    int m_ephemeralPortStart = 32768;
    int m_ephemeralPortEnd = 60999;
    DumpFilter m_filter;
    NetworkNamespace m_namespace;
    int m_intervalMs;
    bool m_traceWanted;
    bool m_paused = false;
    int m_failedErrno = 0; // of the failure last reported, until a dump succeeds
    int m_polls = 0;
    int m_lastEmittedPoll = -1;
    int m_quietDumps = 0;
    std::int64_t m_lastDumpUs = 0;
    std::int64_t m_lastDumpDoneMs = 0;
    std::int64_t m_secondStartMs = 0;
    std::uint64_t m_eventsThisSecond = 0;
    std::uint64_t m_eventsLastSecond = 0;
    PollStats m_stats;
    PollCadence m_cadence;
    ConnectionTracker::Diff m_pending;
    QTimer *m_timer = nullptr;
    QTimer *m_flushTimer = nullptr;
    QTimer *m_dueTimer = nullptr;
    QSocketNotifier *m_notifier = nullptr;
    QSocketNotifier *m_traceNotifier = nullptr;
    QTimer *m_traceTimer = nullptr;
    QTimer *m_focusTimer = nullptr;
    int m_focusPort = 0;
    std::unique_ptr<DiagClient> m_client;
    std::unique_ptr<DestroyWatcher> m_destroyWatcher;
    std::unique_ptr<TraceSource> m_trace;
    OwnerResolver m_owners;
    ConnectionTracker m_tracker;
};

Poller::Poller(DumpFilter filter, QObject *parent) : SocketSource(parent), m_filter(filter)
{
    qRegisterMetaType<sockscope::PollBatch>();
}

void Poller::post(Delivery delivery)
{
    bool first = false;
    {
        const std::lock_guard lock(m_mailboxMutex);
        first = m_mailbox.empty();
        m_mailbox.push_back(std::move(delivery));
    }
    if (first)
        QMetaObject::invokeMethod(this, &Poller::deliverPosted, Qt::QueuedConnection);
}

void Poller::deliverPosted()
{
    // One at a time: a receiver that runs the event loop (a dialog, a test's
    // wait) gets the next one delivered in order from within, never twice.
    for (;;) {
        Delivery delivery;
        {
            const std::lock_guard lock(m_mailboxMutex);
            if (m_mailbox.empty())
                return;
            delivery = std::move(m_mailbox.front());
            m_mailbox.pop_front();
        }
        switch (delivery.kind) {
        case Delivery::Kind::Batch:
            --m_batchesQueued;
            if (std::exchange(m_recoverWithFirstBatch, false))
                Q_EMIT pollRecovered();
            Q_EMIT batchReady(delivery.batch);
            break;
        case Delivery::Kind::Failed:
            Q_EMIT pollFailed(delivery.message);
            break;
        case Delivery::Kind::Recovered:
            Q_EMIT pollRecovered();
            break;
        }
    }
}

Poller::~Poller()
{
    stop();
}

// The calls to the worker capture it, never read m_worker on its thread:
// dispose() hands the worker over while calls to it may still be queued.
void Poller::start()
{
    if (m_thread)
        return;
    // At EMFILE the thread would take the process down (GLib aborts when its
    // event loop finds no descriptor): the start waits for one instead, said
    // once, and the first batch after says the poller recovered.
    if (const Status room = descriptorForNewThread(QStringLiteral("the poller")); !room) {
        if (!m_startRetry) {
            constexpr int kStartRetryMs = 500;
            m_startRetry = new QTimer(this);
            m_startRetry->setInterval(kStartRetryMs);
            connect(m_startRetry, &QTimer::timeout, this, &Poller::start);
            m_startRetry->start();
            Q_EMIT pollFailed(room.error().message);
        }
        return;
    }
    if (m_startRetry) {
        delete std::exchange(m_startRetry, nullptr);
        m_recoverWithFirstBatch = true;
    }
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("sockscope-poller"));
    m_worker =
        new Worker(this, m_filter, m_namespace, m_intervalMs, m_traceWanted, m_maxPollingShare);
    m_worker->moveToThread(m_thread);
    releaseOnFinish(m_thread);
    m_thread->start();
    invokeHandedOver(
        m_worker, [worker = m_worker] { worker->begin(); }, Qt::QueuedConnection);
}

void Poller::stop()
{
    delete std::exchange(m_startRetry, nullptr);
    if (!m_thread)
        return;
    invokeHandedOver(
        m_worker, [worker = m_worker] { worker->end(); }, Qt::BlockingQueuedConnection);
    joinHandedOver(m_thread);
    delete m_worker;
    m_worker = nullptr;
    delete m_thread;
    m_thread = nullptr;
}

void Poller::dispose()
{
    disconnectReceivers();
    delete std::exchange(m_startRetry, nullptr);
    if (!m_thread) {
        deleteLater();
        return;
    }
    // From here the worker and its thread belong to this call: stop() and
    // the setters find none.
    QThread *thread = std::exchange(m_thread, nullptr);
    Worker *worker = std::exchange(m_worker, nullptr);
    // The worker posts to this object until it ends, so this goes last.
    connect(thread, &QThread::finished, this, [this, thread, worker] {
        thread->wait(); // returns at once: the thread is past its last event
        handOverAcquire(thread);
        delete worker;
        delete thread;
        deleteLater();
    });
    invokeHandedOver(worker, [worker] {
        worker->end();
        QThread::currentThread()->quit();
    });
}

void Poller::setIntervalMs(int intervalMs)
{
    m_intervalMs = std::clamp(intervalMs, kMinimumIntervalMs, kMaximumIntervalMs);
    if (m_worker) {
        const int value = m_intervalMs;
        invokeHandedOver(m_worker, [worker = m_worker, value] { worker->setInterval(value); });
    }
}

void Poller::setPaused(bool paused)
{
    if (m_worker)
        invokeHandedOver(m_worker, [worker = m_worker, paused] { worker->setPaused(paused); });
}

void Poller::setFocusPort(int port)
{
    if (m_worker)
        invokeHandedOver(m_worker, [worker = m_worker, port] { worker->setFocusPort(port); });
}

void Poller::pollNow()
{
    // One queued request at most: callers faster than a poll must not pile up
    // a backlog the worker never catches up with.
    if (!m_worker || m_pollQueued.exchange(true))
        return;
    invokeHandedOver(m_worker, [this, worker = m_worker] {
        m_pollQueued = false;
        worker->pollAsked();
    });
}

} // namespace sockscope

#include "poller.moc"
