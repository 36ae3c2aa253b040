// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/result.h"

namespace sockscope {

// Whether this process may load tracing programs: CAP_SYS_ADMIN, or CAP_BPF
// with CAP_PERFMON (kernel 5.8 and later), in its effective set. Fails with
// EPERM and the fix (root, setcap, and why the AppImage cannot carry it).
Status checkTracePermissions();

// Whether the kernel describes its own types (CONFIG_DEBUG_INFO_BTF), which the
// program's relocations and BTF tracepoints need. Fails with ENOENT and the fix.
Status checkKernelBtf();

} // namespace sockscope
