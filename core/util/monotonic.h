// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

namespace sockscope {

// Milliseconds of CLOCK_MONOTONIC: the one time base of events, histories and
// the UI's "time in state", immune to wall-clock changes.
std::int64_t monotonicMs();
// The same clock in nanoseconds: the clock of bpf_ktime_get_ns(), so traced
// events and dumps share one time line.
std::int64_t monotonicNs();

} // namespace sockscope
