// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"

#include <cstdint>
#include <QString>

namespace sockscope::test {

// Small RAII helpers for tests that open real sockets on loopback. Every
// function QFAIL-free: they return -1 / 0 on failure and the test checks.

// A descriptor closed on destruction.
class Fd
{
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd() { reset(); }
    Fd(Fd &&other) noexcept : m_fd(other.release()) {}
    Fd &operator=(Fd &&other) noexcept;
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;

    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    int release();
    void reset(int fd = -1);

private:
    int m_fd = -1;
};

// A listener on 127.0.0.1 (or ::1 when ipv6) at `port` (0 = kernel picks).
Fd listenOn(bool ipv6 = false, std::uint16_t port = 0, bool reuseAddr = false);
std::uint16_t localPort(int fd);
// A blocking connect to the listener's port on loopback, optionally from a fixed local port.
Fd connectTo(std::uint16_t port, bool ipv6 = false, std::uint16_t fromPort = 0,
             bool reuseAddr = false);
// accept() with a timeout in ms; -1 on timeout.
Fd acceptOne(int listenFd, int timeoutMs = 2000);
// Number of open descriptors of this process (/proc/self/fd).
int openDescriptorCount();

// 127.0.0.1:port as a socket record holds it (IPv4 family).
Endpoint loopbackEndpoint(std::uint16_t port);

} // namespace sockscope::test
