// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/dumpcommand.h"

#include "cli/commandline.h"
#include "cli/output.h"
#include "format/socketjson.h"
#include "format/sockettext.h"
#include "owners/owneddump.h"

#include <cstdio>
#include <unistd.h>

namespace sockscope::cli {

int runDump(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Print every TCP socket with its timer and owner, like ss -tanp."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON array.")});
    parser.addOption({QStringLiteral("info"),
                      QStringLiteral("Ask the kernel for tcp_info (rtt, cwnd, bytes).")});
    addFilterOptions(parser);
    FilterCommand parsed = parseFilterCommand(parser, arguments, QStringLiteral("dump"));
    if (parsed.exitNow)
        return *parsed.exitNow;
    DumpFilter &filter = parsed.filter;
    filter.withTcpInfo = parser.isSet(QStringLiteral("info"));

    bool ownersComplete = true;
    auto dumped = dumpOwnedSockets(filter, &ownersComplete);
    if (!dumped) {
        std::fprintf(stderr, "sockscope: %s\n", qPrintable(dumped.error().message));
        return 1;
    }
    std::vector<OwnedSocket> &sockets = *dumped;
    sortForReading(sockets);

    if (parser.isSet(QStringLiteral("json"))) {
        // One compact object per line inside the array: valid JSON that grep and
        // diff can still read, without building the whole document in memory.
        QByteArray text;
        text.reserve(static_cast<qsizetype>(sockets.size()) * 360 + 4);
        text += '[';
        for (std::size_t i = 0; i < sockets.size(); ++i) {
            text += i == 0 ? "\n" : ",\n";
            appendSocketJson(text, sockets[i].socket, sockets[i].owner);
        }
        text += "\n]\n";
        std::fwrite(text.constData(), 1, static_cast<size_t>(text.size()), stdout);
        return 0;
    }
    printLines(socketTable(sockets));
    if (!ownersComplete) {
        std::fprintf(stderr, "%s",
                     ::geteuid() == 0
                         ? "sockscope: some processes hide their descriptors even from root "
                           "(a sandbox or container's init); sockets they may hold show as "
                           "'unknown'\n"
                         : "sockscope: other users' processes are not readable; sockets they "
                           "may hold show as 'unknown' (run as root to see every owner)\n");
    }
    return 0;
}

} // namespace sockscope::cli
