// SPDX-License-Identifier: GPL-3.0-or-later
// What lost trace events mean, in one place for the window, `watch` and the
// exporter: how many, and why in words a user can act on.
#ifndef SOCKSCOPE_TRACELOSS_H
#define SOCKSCOPE_TRACELOSS_H

#include "poller/pollbatch.h"

#include <cstdint>
#include <QString>

namespace sockscope {

std::uint64_t lostTraceEvents(const PollStats &stats);

// "3 because the kernel's ring buffer was full (...); 1 skipped by the
// kernel (...)": the causes with a count above zero, empty when none.
QString traceLossCauses(std::uint64_t bufferFull, std::uint64_t skipped);

} // namespace sockscope

#endif
