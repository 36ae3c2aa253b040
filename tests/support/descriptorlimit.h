// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

namespace sockscope::test {

// Raises RLIMIT_NOFILE so that this process may hold `wanted` descriptors: the
// soft limit to min(wanted, hard limit), and the hard limit as well where that is
// allowed (root, CAP_SYS_RESOURCE). Never lowers a limit. Returns whether the
// soft limit now reaches `wanted`.
bool raiseDescriptorLimit(std::uint64_t wanted);

} // namespace sockscope::test
