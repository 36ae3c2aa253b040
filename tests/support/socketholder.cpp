// SPDX-License-Identifier: GPL-3.0-or-later
#include "socketholder.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace sockscope::test {

SocketHolder::SocketHolder(const std::function<bool()> &open)
{
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0)
        return;
    m_pid = ::fork();
    if (m_pid == 0) {
        ::close(ready[0]);
        const char answer = open() ? 'k' : 'e';
        (void)!::write(ready[1], &answer, 1);
        for (;;)
            ::pause(); // until release() kills it
    }
    ::close(ready[1]);
    m_ready = ready[0];
    if (m_pid < 0) {
        ::close(m_ready);
        m_ready = -1;
    }
}

SocketHolder::~SocketHolder()
{
    release();
}

bool SocketHolder::waitReady()
{
    char answer = 0;
    return m_ready >= 0 && ::read(m_ready, &answer, 1) == 1 && answer == 'k';
}

void SocketHolder::release()
{
    if (m_pid <= 0)
        return;
    // A kill, not EOF on a pipe: holders forked later inherit every pipe end.
    ::kill(m_pid, SIGKILL);
    ::close(m_ready);
    ::waitpid(m_pid, nullptr, 0);
    m_pid = -1;
    m_ready = -1;
}

long procStatusKiB(pid_t pid, const char *key)
{
    FILE *file = std::fopen(("/proc/" + std::to_string(pid) + "/status").c_str(), "r");
    if (!file)
        return -1;
    long kib = -1;
    char line[256];
    const size_t keyLength = std::strlen(key);
    while (std::fgets(line, sizeof line, file)) {
        if (std::strncmp(line, key, keyLength) == 0 && line[keyLength] == ':')
            kib = std::atol(line + keyLength + 1);
    }
    std::fclose(file);
    return kib;
}

} // namespace sockscope::test
