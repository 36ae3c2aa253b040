// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lab/labtypes.h"

#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace sockscope {

// A thread blocked in accept() on a blocking listening socket: the shape of
// the servers in S1 and S6. It never touches Qt: what it accepted or failed
// with is queued as Outcomes and the owner is told through notifyOwner (called
// from the thread, under the thread's lock), then drains them in its own thread.
class AcceptThread
{
public:
    struct Outcome
    {
        enum class Kind
        {
            Accepted,       // fd handed over (mode auto or hold)
            ClosedAtOnce,   // mode close: the thread closed it already
            Failed,         // accept() failed with errnum (EMFILE...)
            OrphanAccepted, // accept() returned after a naive close: reset, thread ends
        };
        Kind kind = Kind::Accepted;
        int fd = -1;
        Endpoint peer;
        int errnum = 0;
    };

    AcceptThread(int listenFd, AcceptMode mode, std::function<void()> notifyOwner);
    // Never blocks: a thread still running is detached (its state is shared, so
    // it stays valid) and ends when accept() next returns.
    ~AcceptThread();
    AcceptThread(const AcceptThread &) = delete;
    AcceptThread &operator=(const AcceptThread &) = delete;

    void setMode(AcceptMode mode);
    std::vector<Outcome> takeOutcomes();
    bool running() const;
    // Stops calling notifyOwner (before the owner goes away).
    void disconnectOwner();

    // S6: stop flag, shutdown(SHUT_RDWR) (accept() returns EINVAL), wait for the
    // thread to end (at most timeoutMs), join. False when it did not end in time
    // (then it is detached). The caller closes the descriptor afterwards.
    bool stopGracefully(int listenFd, int timeoutMs);

    // S1, first half: marks the thread as closed-under-it and waits (at most
    // timeoutMs) until it is blocked inside accept(). True when it is: once the
    // caller closes the descriptor, that accept() keeps the socket listening
    // with no descriptor. False when it was not in accept() (paused): it ends.
    bool prepareNaiveClose(int timeoutMs);

    // Ends a thread left blocked by a naive close: interrupts its accept()
    // with a signal (EINTR), so no connection has to be made to wake it, then
    // joins. False when it did not end within timeoutMs (then it is detached).
    bool interruptAndJoin(int timeoutMs);

private:
    struct Shared;
    static void run(std::shared_ptr<Shared> shared);
    bool waitForExit(int timeoutMs);
    bool joinOrDetach(bool exited);

    std::shared_ptr<Shared> m_shared;
    std::thread m_thread;
};

} // namespace sockscope
