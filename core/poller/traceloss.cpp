// SPDX-License-Identifier: GPL-3.0-or-later
#include "poller/traceloss.h"

#include <QStringList>

namespace sockscope {

std::uint64_t lostTraceEvents(const PollStats &stats)
{
    return stats.traceDrops + stats.traceSkipped;
}

QString traceLossCauses(std::uint64_t bufferFull, std::uint64_t skipped)
{
    QStringList causes;
    if (bufferFull > 0)
        causes << QStringLiteral("%1 because the kernel's ring buffer was full (events came "
                                 "faster than they were read)")
                      .arg(bufferFull);
    if (skipped > 0)
        causes << QStringLiteral("%1 skipped by the kernel, which does not run the trace "
                                 "program again on a CPU where it is still running (a softirq "
                                 "interrupted it)")
                      .arg(skipped);
    return causes.join(QStringLiteral("; "));
}

} // namespace sockscope
