// SPDX-License-Identifier: GPL-3.0-or-later
// The ring buffer's record decoder: any size, any kind, family and state byte.
#include "trace/traceevent.h"

#include <cstddef>
#include <cstdint>
#include <vector>

using namespace sockscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::vector<std::byte> bytes(reinterpret_cast<const std::byte *>(data),
                                       reinterpret_cast<const std::byte *>(data) + size);
    if (auto event = decodeTraceRecord(bytes)) {
        // What the window and watch do with every event.
        (void)traceKindName(event->kind);
        (void)event->local.text(event->family);
        (void)event->remote.text(event->family);
        (void)tcpStateName(event->from);
        (void)tcpStateName(event->to);
    }
    return 0;
}
