// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/listener.h"

#include "lab/acceptthread.h"
#include "lab/clientconnection.h"
#include "lab/labsockets.h"
#include "util/threadhandover.h"

#include <algorithm>
#include <cerrno>
#include <QSocketNotifier>

namespace sockscope {

namespace {
// Bounds for the blocking steps, so closing never hangs the lab.
constexpr int kJoinTimeoutMs = 2000;
constexpr int kNaiveCloseWaitMs = 1000;
constexpr int kWakeTimeoutMs = 3000;
// Accepts per notifier activation: the rest waits for the next round of the
// event loop, so a flood cannot starve the lab's other sockets.
constexpr int kAcceptsPerWakeup = 64;
} // namespace

Listener::Listener(ListenerSpec spec, LabEventSink sink, QObject *parent)
    : QObject(parent), m_spec(spec), m_sink(sink), m_reporter(QString(), std::move(sink))
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Listener::retryAccepting);
}

Listener::~Listener()
{
    finish();
}

QString Listener::boundText() const
{
    return m_bound.text(m_spec.family);
}

Status Listener::open()
{
    ListenSocketOptions options;
    options.family = m_spec.family;
    options.local = m_spec.local;
    if (m_everBound)
        options.local.port = m_bound.port;
    options.reuseAddr = m_spec.reuseAddr;
    options.reusePort = m_spec.reusePort;
    options.backlog = m_spec.backlog;
    options.nonBlocking = m_spec.loop == AcceptLoop::EventLoop;
    SocketAttempt attempt = openListenSocket(options);
    if (!attempt.ok()) {
        const FailureContext context = failureContext(
            attempt.failedAt, m_spec.family, options.local, m_spec.reuseAddr, m_spec.reusePort);
        return m_reporter.fail(
            QStringLiteral("listen on %1").arg(options.local.text(m_spec.family)), attempt.errnum,
            context);
    }
    m_fd = std::move(attempt.fd);
    m_bound = localEndpointOf(m_fd.get());
    m_everBound = true;
    m_retryDelayMs = 100;
    if (m_spec.loop == AcceptLoop::EventLoop) {
        m_notifier = std::make_unique<QSocketNotifier>(m_fd.get(), QSocketNotifier::Read);
        connect(m_notifier.get(), &QSocketNotifier::activated, this, &Listener::acceptReady);
        m_notifier->setEnabled(m_spec.accept != AcceptMode::Pause);
    } else {
        m_thread = std::make_unique<AcceptThread>(m_fd.get(), m_spec.accept, [this] {
            invokeHandedOver(
                this, [this] { drainThreads(); }, Qt::QueuedConnection);
        });
    }
    return Ok{};
}

void Listener::noteListening()
{
    QString text = QStringLiteral("listening on %1 (backlog %2, accept %3, %4")
                       .arg(boundText())
                       .arg(m_spec.backlog)
                       .arg(acceptModeName(m_spec.accept), acceptLoopName(m_spec.loop));
    if (m_spec.reuseAddr)
        text += QStringLiteral(", reuseaddr");
    if (m_spec.reusePort)
        text += QStringLiteral(", reuseport");
    m_reporter.note(text + QLatin1Char(')'));
}

Status Listener::close(StopMode mode)
{
    drainThreads();
    m_queuedReset = 0;
    if (!m_fd.valid()) {
        if (mode == StopMode::Graceful && hasOrphans()) {
            wakeOrphans();
            return Ok{};
        }
        return m_reporter.fail(
            QStringLiteral("close"),
            plainExplanation(EINVAL, QStringLiteral("listener %1 is already closed").arg(id())));
    }
    if (mode == StopMode::Graceful) {
        closeGracefully();
        return Ok{};
    }
    m_notifier.reset();
    m_retryTimer.stop();
    if (m_thread) {
        const bool blocked = m_thread->prepareNaiveClose(kNaiveCloseWaitMs);
        if (blocked)
            m_fd.reset(); // the socket lives on, its accept queue with it
        else
            closeDescriptor(acceptQueueLength(m_fd.get()));
        handleOutcomes(*m_thread);
        if (blocked) {
            m_orphans.push_back(std::move(m_thread));
            m_reporter.note(
                QStringLiteral("closed the descriptor while the accept thread is blocked in "
                               "accept(): %1 stays in LISTEN with no descriptor (S1); binding "
                               "it fails with EADDRINUSE until that accept() returns")
                    .arg(boundText()));
        } else {
            m_thread.reset();
            m_reporter.note(QStringLiteral("closed the descriptor; the accept thread was not in "
                                           "accept() (paused), so %1 closed for real")
                                .arg(boundText()));
        }
    } else {
        closeDescriptor(acceptQueueLength(m_fd.get()));
        m_reporter.note(QStringLiteral("closed the descriptor; no thread was blocked in accept() "
                                       "(event-loop accept), so %1 closed for real")
                            .arg(boundText()));
    }
    return Ok{};
}

void Listener::closeDescriptor(int queued)
{
    m_queuedReset = queued;
    m_fd.reset();
    if (m_queuedReset > 0)
        m_reporter.note(QStringLiteral("the kernel reset the %1 connection(s) still waiting in the "
                                       "accept queue (never accepted)")
                            .arg(m_queuedReset));
}

void Listener::closeGracefully()
{
    m_notifier.reset();
    m_retryTimer.stop();
    // Counted first: shutdown() and close() reset whatever still waits in
    // the accept queue, and nothing says how many afterwards.
    const int queued = acceptQueueLength(m_fd.get());
    if (m_thread) {
        const bool joined = m_thread->stopGracefully(m_fd.get(), kJoinTimeoutMs);
        handleOutcomes(*m_thread);
        m_thread.reset();
        m_reporter.note(joined ? QStringLiteral("stop flag set, shutdown() woke accept() with "
                                                "EINVAL, accept thread joined")
                               : QStringLiteral("the accept thread did not end within 2 s after "
                                                "shutdown(); left it detached"));
    }
    closeDescriptor(queued);
    const auto open = std::count_if(m_connections.begin(), m_connections.end(),
                                    [](const auto &connection) { return connection->isOpen(); });
    m_reporter.note(open == 0 ? QStringLiteral("closed %1").arg(boundText())
                              : QStringLiteral("closed %1; the %2 connection(s) it accepted stay "
                                               "open")
                                    .arg(boundText())
                                    .arg(open));
}

Status Listener::rebind()
{
    drainThreads();
    if (m_fd.valid())
        closeGracefully();
    const Status opened = open();
    if (opened.ok())
        noteListening();
    return opened;
}

void Listener::setAcceptMode(AcceptMode mode)
{
    m_spec.accept = mode;
    if (m_thread)
        m_thread->setMode(mode);
    if (m_notifier && !m_retryTimer.isActive())
        m_notifier->setEnabled(mode != AcceptMode::Pause);
    m_reporter.note(QStringLiteral("accept mode %1").arg(acceptModeName(mode)));
}

ListenerStatus Listener::status()
{
    drainThreads();
    ListenerStatus status;
    status.id = id();
    status.spec = m_spec;
    status.bound = m_bound;
    status.open = m_fd.valid();
    status.acceptThreadRunning =
        (m_thread && m_thread->running()) ||
        std::any_of(m_orphans.begin(), m_orphans.end(), [](const auto &t) { return t->running(); });
    status.accepted = m_accepted;
    status.acceptErrors = m_acceptErrors;
    status.queuedReset = m_queuedReset;
    for (const auto &connection : m_connections) {
        status.connections.append(connection->status());
        status.held += connection->isOpen() ? 1 : 0;
    }
    return status;
}

void Listener::finish()
{
    drainThreads();
    if (m_fd.valid())
        closeGracefully();
    wakeOrphans();
    closeConnections();
}

ClientConnection *Listener::connection(int number) const
{
    if (number < 1 || number > static_cast<int>(m_connections.size()))
        return nullptr;
    return m_connections[static_cast<std::size_t>(number - 1)].get();
}

void Listener::acceptReady()
{
    for (int round = 0; round < kAcceptsPerWakeup; ++round) {
        if (m_spec.accept == AcceptMode::Pause) {
            m_notifier->setEnabled(false);
            return;
        }
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        UniqueFd fd(::accept4(m_fd.get(), reinterpret_cast<sockaddr *>(&peer), &length,
                              SOCK_CLOEXEC | SOCK_NONBLOCK));
        if (!fd.valid()) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            acceptFailed(errno);
            // accept() would fail again at once and the notifier is level
            // triggered: pause it, doubling the pause up to 1 s.
            m_notifier->setEnabled(false);
            m_retryTimer.start(m_retryDelayMs);
            m_retryDelayMs = std::min(m_retryDelayMs * 2, 1000);
            return;
        }
        m_retryDelayMs = 100;
        ++m_accepted;
        adopt(std::move(fd), endpointOf(peer));
    }
}

int Listener::acceptingFd() const
{
    return m_notifier && m_notifier->isEnabled() ? m_fd.get() : -1;
}

bool Listener::acceptNow()
{
    if (acceptingFd() < 0)
        return false;
    acceptReady();
    return acceptingFd() >= 0;
}

void Listener::retryAccepting()
{
    if (m_notifier && m_spec.accept != AcceptMode::Pause)
        m_notifier->setEnabled(true);
}

void Listener::adopt(UniqueFd fd, const Endpoint &peer)
{
    const QString peerText = peer.text(m_spec.family);
    if (m_spec.accept == AcceptMode::Close) {
        fd.reset();
        m_reporter.note(QStringLiteral("accepted %1 and closed it at once").arg(peerText));
        return;
    }
    const bool read = m_spec.accept != AcceptMode::Hold;
    ClientStatus status;
    status.id = QStringLiteral("%1.%2").arg(id()).arg(m_connections.size() + 1);
    status.listener = id();
    status.family = m_spec.family;
    status.local = localEndpointOf(fd.get());
    status.remote = peer;
    status.policy = read ? ClosePolicy::Keep : ClosePolicy::NeverClose;
    auto connection = std::make_unique<ClientConnection>(status, std::move(fd), 0, m_sink);
    if (read)
        connection->watchPeer();
    m_connections.push_back(std::move(connection));
    m_reporter.note(QStringLiteral("accepted %1 as %2 (%3)")
                        .arg(peerText, status.id, acceptModeName(m_spec.accept)));
}

void Listener::acceptFailed(int errnum)
{
    ++m_acceptErrors;
    const FailureContext context = failureContext(FailureContext::Operation::Accept, m_spec.family,
                                                  m_bound, m_spec.reuseAddr, m_spec.reusePort);
    m_reporter.fail(QStringLiteral("accept() on %1").arg(boundText()), errnum, context);
}

void Listener::closeConnections()
{
    for (const auto &connection : m_connections) {
        if (connection->isOpen())
            connection->close();
    }
}

void Listener::drainThreads()
{
    if (m_thread)
        handleOutcomes(*m_thread);
    for (auto it = m_orphans.begin(); it != m_orphans.end();) {
        handleOutcomes(**it);
        if ((*it)->running()) {
            ++it;
            continue;
        }
        it = m_orphans.erase(it); // it ended: the destructor joins at once
        m_reporter.note(QStringLiteral("the orphaned accept thread ended; the LISTEN socket on "
                                       "%1 is gone")
                            .arg(boundText()));
    }
}

void Listener::handleOutcomes(AcceptThread &thread)
{
    using Kind = AcceptThread::Outcome::Kind;
    for (const AcceptThread::Outcome &outcome : thread.takeOutcomes()) {
        const QString peerText = outcome.peer.text(m_spec.family);
        switch (outcome.kind) {
        case Kind::Accepted:
            ++m_accepted;
            adopt(UniqueFd(outcome.fd), outcome.peer);
            break;
        case Kind::ClosedAtOnce:
            ++m_accepted;
            m_reporter.note(QStringLiteral("accepted %1 and closed it at once").arg(peerText));
            break;
        case Kind::Failed:
            acceptFailed(outcome.errnum);
            break;
        case Kind::OrphanAccepted:
            ++m_accepted;
            m_reporter.note(QStringLiteral("the accept() left blocked by the naive close returned "
                                           "%1; reset it, the accept thread ended")
                                .arg(peerText));
            break;
        }
    }
}

void Listener::wakeOrphans()
{
    for (const auto &orphan : m_orphans) {
        const bool ended = orphan->interruptAndJoin(kWakeTimeoutMs);
        handleOutcomes(*orphan);
        m_reporter.note(
            ended ? QStringLiteral("interrupted the orphaned accept() with a signal (EINTR, no "
                                   "connection made); the accept thread ended and the orphaned "
                                   "LISTEN socket on %1 with it")
                        .arg(boundText())
                  : QStringLiteral("could not interrupt the orphaned accept thread within 3 s; "
                                   "left it detached (it ends when a connection reaches %1)")
                        .arg(boundText()));
    }
    m_orphans.clear();
}

} // namespace sockscope
