// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/acceptthread.h"

#include "lab/labsockets.h"
#include "util/monotonic.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <deque>
#include <mutex>
#include <poll.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sockscope {

struct AcceptThread::Shared
{
    std::mutex mutex;
    std::condition_variable changed;
    int listenFd = -1; // not touched by the thread once naivelyClosed is set
    AcceptMode mode = AcceptMode::Auto;
    bool stop = false;
    bool naivelyClosed = false;
    bool exited = false;
    pid_t tid = 0;
    std::deque<Outcome> outcomes;
    std::function<void()> notifyOwner;

    void notify()
    {
        if (notifyOwner)
            notifyOwner();
    }
};

namespace {
// Whether thread `tid` of this process is inside accept4() right now, from
// /proc/self/task/TID/syscall ("288 0x3 ..." on x86_64; "running" when on a
// CPU). nullopt when the file cannot be read (kernel without it).
std::optional<bool> blockedInAccept(pid_t tid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/syscall", static_cast<int>(tid));
    FILE *file = std::fopen(path, "re");
    if (!file)
        return std::nullopt;
    long number = -1;
    const int fields = std::fscanf(file, "%ld", &number);
    std::fclose(file);
    return fields == 1 && number == SYS_accept4;
}

// The signal that interrupts an orphaned accept(): a real-time one nothing
// else in SockScope uses, caught by a handler that does nothing and installed
// without SA_RESTART, so the blocked accept() returns EINTR instead of being
// restarted. Waking it with a connection instead would show the learner a
// connection they never made.
int interruptSignal()
{
    static const int number = [] {
        const int chosen = SIGRTMIN + 4;
        struct sigaction action = {};
        action.sa_handler = [](int) {};
        sigemptyset(&action.sa_mask);
        ::sigaction(chosen, &action, nullptr);
        return chosen;
    }();
    return number;
}

bool isResourceShortage(int errnum)
{
    return errnum == EMFILE || errnum == ENFILE || errnum == ENOBUFS || errnum == ENOMEM;
}
} // namespace

AcceptThread::AcceptThread(int listenFd, AcceptMode mode, std::function<void()> notifyOwner)
    : m_shared(std::make_shared<Shared>())
{
    m_shared->listenFd = listenFd;
    m_shared->mode = mode;
    m_shared->notifyOwner = std::move(notifyOwner);
    m_thread = std::thread(&AcceptThread::run, m_shared);
}

AcceptThread::~AcceptThread()
{
    disconnectOwner();
    // Connections accepted but never taken by the owner must not leak.
    for (const Outcome &outcome : takeOutcomes()) {
        if (outcome.fd >= 0)
            ::close(outcome.fd);
    }
    if (m_thread.joinable()) {
        if (waitForExit(0))
            m_thread.join();
        else
            m_thread.detach();
    }
}

void AcceptThread::run(std::shared_ptr<Shared> shared)
{
    std::unique_lock lock(shared->mutex);
    shared->tid = static_cast<pid_t>(::gettid());
    int backoffMs = 100;
    while (true) {
        shared->changed.wait(lock, [&] {
            return shared->stop || shared->naivelyClosed || shared->mode != AcceptMode::Pause;
        });
        if (shared->stop || shared->naivelyClosed)
            break;
        const int listenFd = shared->listenFd;
        lock.unlock();
        sockaddr_storage peer{};
        socklen_t length = sizeof peer;
        const int fd = ::accept4(listenFd, reinterpret_cast<sockaddr *>(&peer), &length,
                                 SOCK_CLOEXEC | SOCK_NONBLOCK);
        const int errnum = errno;
        lock.lock();
        Outcome outcome;
        outcome.peer = endpointOf(peer);
        if (fd >= 0 && shared->naivelyClosed) {
            // The socket is an orphan now; this accept() was its last reference.
            // Reset the connection so neither side lingers in TIME_WAIT.
            setLingerZero(fd);
            ::close(fd);
            outcome.kind = Outcome::Kind::OrphanAccepted;
            shared->outcomes.push_back(outcome);
            break;
        }
        if (fd >= 0 && shared->stop) {
            ::close(fd);
            break;
        }
        if (fd < 0 && (shared->stop || shared->naivelyClosed))
            break; // EINVAL after shutdown(), EBADF after a close it raced with, EINTR
                   // from interruptAndJoin()
        if (fd >= 0) {
            backoffMs = 100;
            if (shared->mode == AcceptMode::Close) {
                ::close(fd);
                outcome.kind = Outcome::Kind::ClosedAtOnce;
            } else {
                outcome.fd = fd;
            }
        } else {
            outcome.kind = Outcome::Kind::Failed;
            outcome.errnum = errnum;
        }
        shared->outcomes.push_back(outcome);
        shared->notify();
        if (fd < 0 && isResourceShortage(errnum)) {
            // Out of descriptors: accept() would fail at once forever; wait
            // (woken early by a stop) instead of burning the lab's core.
            shared->changed.wait_for(lock, std::chrono::milliseconds(backoffMs),
                                     [&] { return shared->stop || shared->naivelyClosed; });
            backoffMs = std::min(backoffMs * 2, 1000);
        }
    }
    shared->exited = true;
    shared->changed.notify_all();
    shared->notify();
}

void AcceptThread::setMode(AcceptMode mode)
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->mode = mode;
    m_shared->changed.notify_all();
}

std::vector<AcceptThread::Outcome> AcceptThread::takeOutcomes()
{
    std::lock_guard lock(m_shared->mutex);
    std::vector<Outcome> outcomes(m_shared->outcomes.begin(), m_shared->outcomes.end());
    m_shared->outcomes.clear();
    return outcomes;
}

bool AcceptThread::running() const
{
    std::lock_guard lock(m_shared->mutex);
    return !m_shared->exited;
}

void AcceptThread::disconnectOwner()
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->notifyOwner = nullptr;
}

bool AcceptThread::waitForExit(int timeoutMs)
{
    std::unique_lock lock(m_shared->mutex);
    return m_shared->changed.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                      [this] { return m_shared->exited; });
}

bool AcceptThread::joinOrDetach(bool exited)
{
    if (!m_thread.joinable())
        return exited;
    if (exited)
        m_thread.join();
    else
        m_thread.detach();
    return exited;
}

bool AcceptThread::stopGracefully(int listenFd, int timeoutMs)
{
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->stop = true;
        m_shared->changed.notify_all();
    }
    // On a listening socket shutdown() disconnects it (state CLOSE) and wakes
    // every accept() blocked on it with EINVAL; close() alone would not (S1).
    ::shutdown(listenFd, SHUT_RDWR);
    return joinOrDetach(waitForExit(timeoutMs));
}

bool AcceptThread::prepareNaiveClose(int timeoutMs)
{
    // First wait until the thread is really inside accept() (a thread just
    // started may not be yet): closing the descriptor before would make that
    // accept() fail with EBADF instead of keeping the socket alive.
    const std::int64_t deadline = monotonicMs() + timeoutMs;
    while (true) {
        pid_t tid = 0;
        {
            std::lock_guard lock(m_shared->mutex);
            if (m_shared->exited)
                return false;
            if (m_shared->mode == AcceptMode::Pause)
                break;
            tid = m_shared->tid;
        }
        const std::optional<bool> blocked = tid != 0 ? blockedInAccept(tid) : false;
        if (!blocked) {
            // No /proc/.../syscall: give the thread a moment to enter accept().
            ::poll(nullptr, 0, 20);
            break;
        }
        if (*blocked || monotonicMs() >= deadline)
            break;
        ::poll(nullptr, 0, 1);
    }
    // From here on the thread calls accept() no more: whatever the blocked one
    // returns ends it. A paused thread wakes up and ends at once.
    std::lock_guard lock(m_shared->mutex);
    m_shared->naivelyClosed = true;
    m_shared->changed.notify_all();
    return !m_shared->exited && m_shared->mode != AcceptMode::Pause;
}

bool AcceptThread::interruptAndJoin(int timeoutMs)
{
    const int signal = interruptSignal();
    const std::int64_t deadline = monotonicMs() + timeoutMs;
    // Again and again: a signal that lands just before the thread enters
    // accept() interrupts nothing.
    while (!waitForExit(0) && monotonicMs() < deadline) {
        if (m_thread.joinable())
            ::pthread_kill(m_thread.native_handle(), signal);
        waitForExit(50);
    }
    return joinOrDetach(waitForExit(0));
}

} // namespace sockscope
