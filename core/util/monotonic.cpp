// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/monotonic.h"

#include <ctime>

namespace sockscope {

std::int64_t monotonicNs()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

std::int64_t monotonicMs()
{
    return monotonicNs() / 1'000'000;
}

} // namespace sockscope
