// SPDX-License-Identifier: GPL-3.0-or-later
#include "processmeasure.h"

#include "socketholder.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace sockscope::test {

double median(std::vector<double> values)
{
    if (values.empty())
        return -1;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::int64_t nowNs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

void sleepMs(int ms)
{
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

std::int64_t procCpuNs(pid_t pid)
{
    FILE *file = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
    if (!file)
        return -1;
    char buffer[4096];
    const size_t length = std::fread(buffer, 1, sizeof buffer - 1, file);
    std::fclose(file);
    buffer[length] = 0;
    const char *rest = std::strrchr(buffer, ')');
    if (!rest)
        return -1;
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    // After "pid (comm)": state ppid pgrp session tty tpgid flags minflt cminflt
    // majflt cmajflt utime stime (fields 3..15).
    if (std::sscanf(rest + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                    &stime) != 2)
        return -1;
    return static_cast<std::int64_t>((utime + stime) * (1'000'000'000ULL / ::sysconf(_SC_CLK_TCK)));
}

int bpfDescriptors(pid_t pid)
{
    const std::string directory = "/proc/" + std::to_string(pid) + "/fd";
    DIR *dir = ::opendir(directory.c_str());
    if (!dir)
        return -1;
    int count = 0;
    while (dirent *entry = ::readdir(dir)) {
        char target[256];
        const ssize_t length = ::readlinkat(::dirfd(dir), entry->d_name, target, sizeof target - 1);
        if (length > 0) {
            target[length] = 0;
            count += std::strstr(target, "bpf") != nullptr;
        }
    }
    ::closedir(dir);
    return count;
}

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

bool dropTraceCapabilities()
{
    bool ok = true;
    for (const int cap : {CAP_SYS_ADMIN, CAP_BPF, CAP_PERFMON})
        ok = ::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0 && ok;
    ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    if (::syscall(SYS_capget, &header, data) != 0)
        return false;
    for (const int cap : {CAP_SYS_ADMIN, CAP_BPF, CAP_PERFMON}) {
        const std::uint32_t bit = 1u << (cap % 32);
        data[cap / 32].effective &= ~bit;
        data[cap / 32].permitted &= ~bit;
        data[cap / 32].inheritable &= ~bit;
    }
    return ::syscall(SYS_capset, &header, data) == 0 && ok;
}

// wait4()'s ru_maxrss would report at least this process's RSS (a child's high
// water mark survives exec), so the child is stopped at its exit under ptrace
// and its own VmHWM read then.
ProcessSample runAndMeasure(const std::vector<std::string> &arguments)
{
    std::vector<char *> argv;
    for (const std::string &argument : arguments)
        argv.push_back(const_cast<char *>(argument.c_str()));
    argv.push_back(nullptr);
    const std::int64_t start = nowNs();
    const pid_t pid = ::fork();
    if (pid < 0)
        return {-1, -1};
    if (pid == 0) {
        ::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
        const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
        ::dup2(null, STDOUT_FILENO);
        ::execvp(argv[0], argv.data());
        _exit(127);
    }
    ProcessSample sample;
    int status = 0;
    while (::waitpid(pid, &status, 0) == pid && WIFSTOPPED(status)) {
        int deliver = 0;
        if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8)))
            sample.maxRssKiB = procStatusKiB(pid, "VmHWM");
        else if (WSTOPSIG(status) == SIGTRAP) // the stop after exec
            ::ptrace(PTRACE_SETOPTIONS, pid, nullptr, PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL);
        else
            deliver = WSTOPSIG(status);
        ::ptrace(PTRACE_CONT, pid, nullptr, deliver);
    }
    sample.ms = static_cast<double>(nowNs() - start) / 1e6;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        std::fprintf(stderr, "%s failed (status %#x)\n", argv[0], status);
    return sample;
}

pid_t startOffscreen(const std::vector<std::string> &arguments, bool tracing,
                     const std::string &configDir)
{
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
        ::setenv("XDG_CONFIG_HOME", configDir.c_str(), 1);
        if (!tracing) {
            ::setenv("SOCKSCOPE_NO_TRACE", "1", 1); // for when the app honours it
            if (!dropTraceCapabilities())
                _exit(126);
        }
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        std::vector<char *> argv;
        for (const std::string &argument : arguments)
            argv.push_back(const_cast<char *>(argument.c_str()));
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        _exit(127);
    }
    return pid;
}

void endProcess(pid_t pid)
{
    ::kill(pid, SIGTERM);
    for (int i = 0; i < 40 && ::waitpid(pid, nullptr, WNOHANG) == 0; ++i)
        sleepMs(50);
    if (::waitpid(pid, nullptr, WNOHANG) == 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
    }
}

int openDescriptors(pid_t pid)
{
    DIR *dir = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
    if (!dir)
        return -1;
    int count = 0;
    while (const dirent *entry = ::readdir(dir))
        count += entry->d_name[0] != '.';
    ::closedir(dir);
    return count;
}

IdleSample measureIdle(const std::vector<std::string> &arguments, bool tracing, int warmMs,
                       int windowMs, const std::string &configDir)
{
    IdleSample idle;
    const pid_t pid = startOffscreen(arguments, tracing, configDir);
    // Warm up: at least warmMs, then until a one-second slice uses under half a
    // CPU (the first dump, owners and, for the window, its models), at most 40 s.
    sleepMs(warmMs);
    idle.warmMs = warmMs;
    for (; idle.warmMs < 40'000; idle.warmMs += 1000) {
        const std::int64_t before = procCpuNs(pid);
        sleepMs(1000);
        const std::int64_t after = procCpuNs(pid);
        if (before < 0 || after < 0 || after - before < 500'000'000)
            break;
    }
    const std::int64_t cpu0 = procCpuNs(pid);
    const std::int64_t t0 = nowNs();
    idle.startupCpuS = cpu0 / 1e9;
    sleepMs(windowMs);
    const std::int64_t cpu1 = procCpuNs(pid);
    const std::int64_t t1 = nowNs();
    idle.alive = cpu0 >= 0 && cpu1 >= 0 && ::waitpid(pid, nullptr, WNOHANG) == 0;
    if (idle.alive) {
        idle.cpuPercent = 100.0 * static_cast<double>(cpu1 - cpu0) / static_cast<double>(t1 - t0);
        idle.rssKiB = procStatusKiB(pid, "VmRSS");
        idle.hwmKiB = procStatusKiB(pid, "VmHWM");
        idle.bpfFds = bpfDescriptors(pid);
    }
    endProcess(pid);
    return idle;
}

} // namespace sockscope::test
