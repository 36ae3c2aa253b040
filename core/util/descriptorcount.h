// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/result.h"

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
// EMFILE's fix, with the true count: "this process has used all its
// descriptors (...): close some, or raise the soft limit (ulimit -n)".
QString descriptorsUsedUpText();

// A Qt thread's event loop takes a descriptor (its wake-up eventfd) as the
// thread starts, and GLib aborts the whole process when there is none. Before
// starting one: whether a descriptor is free now; an EMFILE error naming
// `what` and the fix when not.
Status descriptorForNewThread(const QString &what);

} // namespace sockscope
