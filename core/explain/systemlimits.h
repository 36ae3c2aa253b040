// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/descriptorcount.h"

#include <QString>

namespace sockscope {

// The limits an explanation quotes, read when explaining (they can change at
// runtime). Each falls back to the kernel default or "unknown" when procfs
// cannot be read.

// "fs.file-max 9223372036854775807, 1568 allocated"
QString systemFileLimitText();
// "32768-60999"
QString localPortRange();
// net.ipv4.ip_unprivileged_port_start; 1024 when unreadable.
int unprivilegedPortStart();

} // namespace sockscope
