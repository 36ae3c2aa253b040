// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/netnsoption.h"

namespace sockscope::cli {

void addNetnsOption(QCommandLineParser &parser, bool acts)
{
    const QString what = acts ? QStringLiteral("Act in another network namespace (its sockets "
                                               "and server processes are made there)")
                              : QStringLiteral("Look into another network namespace");
    parser.addOption({QStringLiteral("netns"),
                      what + QStringLiteral(": an 'ip netns' NAME, a PID (its /proc/PID/ns/net) "
                                            "or a PATH to an nsfs file; 'sockscope netns' lists "
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
