// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/netnscommand.h"

#include "cli/commandline.h"
#include "netns/namespacelist.h"
#include "util/quotedvalue.h"

#include <cstdio>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <unistd.h>

namespace sockscope::cli {

namespace {

QJsonObject toJson(const NamespaceInfo &info)
{
    QJsonObject object{{QStringLiteral("inode"), QString::number(info.inode)},
                       {QStringLiteral("label"), info.label()},
                       {QStringLiteral("netns"), info.spec()},
                       {QStringLiteral("this_machine"), info.thisMachine},
                       {QStringLiteral("processes"), info.processes},
                       {QStringLiteral("sockets"), info.sockets}};
    if (!info.netnsName.isEmpty())
        object.insert(QStringLiteral("name"), info.netnsName);
    if (info.firstPid > 0) {
        object.insert(QStringLiteral("pid"), info.firstPid);
        object.insert(QStringLiteral("command"), info.command);
    }
    if (info.container.known())
        object.insert(QStringLiteral("container"),
                      QJsonObject{{QStringLiteral("runtime"), info.container.runtime},
                                  {QStringLiteral("id"), info.container.id},
                                  {QStringLiteral("name"), info.container.name}});
    return object;
}

} // namespace

int runNetns(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("List every network namespace on the machine (by /proc/*/ns/net and "
                       "/run/netns): its name, container or first process, and what "
                       "--netns takes to look into it."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON array.")});
    bool helpShown = false;
    if (auto parsed = parseArguments(parser, arguments, &helpShown); !parsed)
        return usageError(parsed.error().message, QStringLiteral("netns"));
    if (helpShown)
        return 0;
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("netns takes no argument %1")
                              .arg(quotedValue(parser.positionalArguments().first())),
                          QStringLiteral("netns"));
    const std::vector<NamespaceInfo> list = listNetworkNamespaces();
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const NamespaceInfo &info : list)
            array.append(toJson(info));
        std::fputs(QJsonDocument(array).toJson(QJsonDocument::Indented).constData(), stdout);
    } else {
        std::printf("%-12s %8s %9s  %-20s %s\n", "INODE", "SOCKETS", "PROCESSES", "--netns",
                    "NAMESPACE");
        for (const NamespaceInfo &info : list) {
            const QString sockets =
                info.sockets >= 0 ? QString::number(info.sockets) : QStringLiteral("?");
            std::printf("%-12llu %8s %9d  %-20s %s\n", static_cast<unsigned long long>(info.inode),
                        qPrintable(sockets), info.processes, qPrintable(info.spec()),
                        qPrintable(info.label()));
        }
    }
    if (::geteuid() != 0)
        std::fprintf(stderr, "sockscope: only your own processes' namespaces are listed; run as "
                             "root to see every one\n");
    return std::fflush(stdout) == 0 ? 0 : 1;
}

} // namespace sockscope::cli
