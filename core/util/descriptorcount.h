// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace sockscope {

// The descriptors of this process, counted when a failure is explained: at
// EMFILE too, where the count matters most, so below explain/ for netlink
// and the poller to quote as well.

// Descriptors this process has open (entries of /proc/self/fd, or asked one
// by one when the directory cannot be opened at EMFILE); -1 if unknown.
int openDescriptorCount();
// "12 open, RLIMIT_NOFILE soft 1024, hard 524288"
QString descriptorLimitText();

} // namespace sockscope
