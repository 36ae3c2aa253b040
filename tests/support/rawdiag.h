// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace sockscope::test {

// The floor for any netlink dump of TCP sockets (IPv4 and IPv6): one request,
// one walk of the kernel's tables, messages received and counted, nothing
// decoded. -1 on failure.
long rawDumpCount();

} // namespace sockscope::test
