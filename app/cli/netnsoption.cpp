// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/netnsoption.h"

namespace sockscope::cli {

void addNetnsOption(QCommandLineParser &parser)
{
    parser.addOption(
        {QStringLiteral("netns"),
         QStringLiteral("Look into another network namespace: an 'ip netns' NAME, a PID (its "
                        "/proc/PID/ns/net) or a PATH to an nsfs file; 'sockscope netns' lists "
                        "them. Needs root (or CAP_SYS_ADMIN)."),
         QStringLiteral("NAME|PID|PATH")});
}

Result<NetworkNamespace> netnsFromOptions(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("netns")))
        return NetworkNamespace{};
    return NetworkNamespace::resolve(parser.value(QStringLiteral("netns")).trimmed());
}

} // namespace sockscope::cli
