// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "netns/networknamespace.h"
#include "sources/sourceentry.h"

namespace sockscope {

// The picker's entries for every network namespace on the machine, each
// polled (and traced, if `trace`) by a Poller inside it. One the user may not
// enter (not root) is listed disabled, saying why.
SourceLister namespaceLister(bool trace);

// The key and label of a namespace given on the command line (none chosen:
// the one SockScope runs in).
QString namespaceKey(const NetworkNamespace &ns);
QString namespaceLabel(const NetworkNamespace &ns);

// A Poller for that namespace, not started.
SocketSource *makeNamespacePoller(const NetworkNamespace &ns, bool trace);

} // namespace sockscope
