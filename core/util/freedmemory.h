// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>

namespace sockscope {

// Hands memory freed inside the allocator's heap back to the kernel. After a
// batch of 100,000 events (the first poll of a busy machine) the heap keeps
// tens of MiB of freed pages that would otherwise stay in the RSS for good.
// A no-op where the C library offers no way to do it.
void returnFreedMemory();

// Batches at least this big are worth returnFreedMemory() once they are gone.
inline constexpr std::size_t kBigBatchItems = 10000;

} // namespace sockscope
