// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/monotonic.h"

#include <ctime>

namespace sockscope {

std::int64_t monotonicMs()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

} // namespace sockscope
