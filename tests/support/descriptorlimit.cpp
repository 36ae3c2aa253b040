// SPDX-License-Identifier: GPL-3.0-or-later
#include "descriptorlimit.h"

#include <algorithm>
#include <sys/resource.h>

namespace sockscope::test {

bool raiseDescriptorLimit(std::uint64_t wanted)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return false;
    const rlim_t target = static_cast<rlim_t>(wanted);
    if (limit.rlim_cur >= target)
        return true;
    if (limit.rlim_max < target) {
        // Fails with EPERM unless privileged; then the hard limit caps the soft one.
        const rlimit raised{target, target};
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
            return true;
    }
    limit.rlim_cur = std::min(target, limit.rlim_max);
    return ::setrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur >= target;
}

} // namespace sockscope::test
