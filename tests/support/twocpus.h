// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <atomic>
#include <pthread.h>
#include <sched.h>
#include <thread>

namespace sockscope::test {

// Runs `work(index)` for index 0 and 1 on two threads pinned to different CPUs
// (where there are two), released together by a spinning barrier so both run
// at once: how a test makes both ends of a connection act in the same instant.
template <typename Work> void runOnTwoCpus(Work work)
{
    std::atomic<int> ready{0};
    auto body = [&](int index) {
        cpu_set_t cpus;
        CPU_ZERO(&cpus);
        CPU_SET(index % std::max(1u, std::thread::hardware_concurrency()), &cpus);
        ::pthread_setaffinity_np(::pthread_self(), sizeof cpus, &cpus);
        ready.fetch_add(1);
        while (ready.load() < 2) {
        }
        work(index);
    };
    std::thread first(body, 0);
    std::thread second(body, 1);
    first.join();
    second.join();
}

} // namespace sockscope::test
