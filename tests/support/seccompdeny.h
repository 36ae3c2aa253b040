// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace sockscope::test {

// Installs a seccomp filter on the calling process (and what it execs) that
// makes socket(AF_NETLINK, *, NETLINK_SOCK_DIAG) fail with `errnum`, as a
// sandbox or a kernel without sock_diag would; everything else is allowed.
// seccomp_exec (seccompexec.cpp) installs it and execs the program. False
// when the kernel refused the filter.
bool denySockDiag(int errnum);
// The same for every bpf() call, as a container's default profile does.
bool denyBpf(int errnum);

} // namespace sockscope::test
