// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// ThreadSanitizer's happens-before hooks, for hand-overs between threads that
// go through Debian's Qt: it is not built with TSan and orders a queued call
// (posted and taken off the queue under a futex-based QMutex) or a
// QThread::wait() in ways TSan cannot see, so what the sender wrote before the
// hand-over looks racy when the receiver reads it. The sender calls
// handOverRelease(key) just before the hand-over, the receiver
// handOverAcquire(key) where it picks it up; key is any address both know.
// Without TSan (the normal build) they compile to nothing.

#include <QMetaObject>
#include <QObject>
#include <QThread>
#include <utility>

#if defined(__SANITIZE_THREAD__) // gcc
#define SOCKSCOPE_TSAN 1
#elif defined(__has_feature) // clang
#if __has_feature(thread_sanitizer)
#define SOCKSCOPE_TSAN 1
#endif
#endif

#ifdef SOCKSCOPE_TSAN
extern "C" void __tsan_acquire(void *addr);
extern "C" void __tsan_release(void *addr);
#endif

namespace sockscope {

inline void handOverRelease([[maybe_unused]] const void *key)
{
#ifdef SOCKSCOPE_TSAN
    __tsan_release(const_cast<void *>(key));
#endif
}

inline void handOverAcquire([[maybe_unused]] const void *key)
{
#ifdef SOCKSCOPE_TSAN
    __tsan_acquire(const_cast<void *>(key));
#endif
}

// A call queued to another thread, its hand-over visible both ways. Keyed by
// its own address: Qt allocates the call and moves it into place after the
// caller's last write, and the receiving thread must not read anything of it
// (not even a captured pointer) before it acquires.
template <typename Call> class HandedOverCall
{
public:
    explicit HandedOverCall(Call call) : m_call(std::move(call)) {}
    HandedOverCall(HandedOverCall &&other) noexcept : m_call(std::move(other.m_call))
    {
        handOverRelease(this);
    }
    HandedOverCall(const HandedOverCall &) = delete;
    HandedOverCall &operator=(const HandedOverCall &) = delete;
    HandedOverCall &operator=(HandedOverCall &&) = delete;
    // Whoever frees it (the caller of a blocking call) sees what the call did.
    ~HandedOverCall() { handOverAcquire(this); }

    void operator()()
    {
        handOverAcquire(this);
        m_call();
        handOverRelease(this);
    }

private:
    Call m_call;
};

// QMetaObject::invokeMethod(receiver, call, type) for a call into the thread
// of `receiver`: the call sees what the caller wrote before it, and a blocking
// caller sees what the call wrote.
template <typename Call>
void invokeHandedOver(QObject *receiver, Call call, Qt::ConnectionType type = Qt::AutoConnection)
{
    QMetaObject::invokeMethod(receiver, HandedOverCall<Call>(std::move(call)), type);
}

// Call once after creating `thread`: its end (QThread::finished, emitted on
// the thread itself) releases what it wrote to whoever joins it through
// joinHandedOver().
inline void releaseOnFinish(QThread *thread)
{
    QObject::connect(
        thread, &QThread::finished, thread, [thread] { handOverRelease(thread); },
        Qt::DirectConnection);
}

// quit() and wait(): afterwards whatever the thread's objects hold may be
// destroyed here.
inline void joinHandedOver(QThread *thread)
{
    thread->quit();
    thread->wait();
    handOverAcquire(thread);
}

} // namespace sockscope
