// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/dumpcommand.h"

#include "cli/commandline.h"
#include "cli/netnsoption.h"
#include "cli/output.h"
#include "cli/sshoptions.h"
#include "format/socketjson.h"
#include "format/sockettext.h"
#include "netlink/diagclient.h"
#include "netns/namespacescope.h"
#include "owners/owneddump.h"
#include "owners/ownerresolver.h"
#include "remote/remotesource.h"

#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace sockscope::cli {

namespace {

struct DumpOptions
{
    DumpFilter filter;
    NetworkNamespace ns;
    bool json = false;
    bool owners = true;
    bool sorted = false;
};

// Writes the table or the JSON array one record at a time.
class DumpWriter
{
public:
    explicit DumpWriter(const DumpOptions &options) : m_json(options.json)
    {
        if (!m_json)
            appendSocketTableHeader(m_output.buffer(), options.owners);
    }
    void write(const SocketRecord &socket, const OwnerLookup *owner)
    {
        QByteArray &out = m_output.buffer();
        if (m_json) {
            // One compact object per line inside the array: valid JSON that grep
            // and diff can still read.
            out += m_count == 0 ? "[\n" : ",\n";
            appendSocketJson(out, socket, owner);
        } else {
            appendSocketRow(out, socket, owner);
        }
        ++m_count;
        m_output.written();
    }
    int finish()
    {
        if (m_json)
            m_output.buffer() += m_count == 0 ? "[]\n" : "\n]\n";
        if (m_output.finish())
            return 0;
        std::fprintf(stderr, "sockscope: cannot write the dump to standard output: %s\n",
                     std::strerror(m_output.error()));
        return 1;
    }

private:
    StreamedOutput m_output;
    bool m_json;
    long m_count = 0;
};

// That namespace's /proc net/tcp, for the owners of processes that hide their
// descriptors; 0 when it cannot be told.
ino_t procNetInode(const NetworkNamespace &ns)
{
    auto scope = NamespaceScope::enter(ns);
    struct stat net = {};
    return scope && ::stat("/proc/thread-self/net/tcp", &net) == 0 ? net.st_ino : 0;
}

void explainMissingOwners()
{
    std::fprintf(stderr, "%s",
                 ::geteuid() == 0
                     ? "sockscope: some processes hide their descriptors even from root "
                       "(a sandbox or container's init); sockets they may hold show as "
                       "'unknown'\n"
                     : "sockscope: other users' processes are not readable; sockets they "
                       "may hold show as 'unknown' (run as root to see every owner)\n");
}

// Owners are matched against the whole dump (one /proc walk for every inode,
// which alone tells an orphaned socket from one whose holder is hidden), and
// sorting needs every record: both collect the dump, then write it.
int writeCollected(DiagClient &client, const DumpOptions &options)
{
    auto dump = client.dump(options.filter);
    if (!dump) {
        std::fprintf(stderr, "sockscope: %s\n", qPrintable(dump.error().message));
        return 1;
    }
    if (options.sorted)
        sortForReading(*dump);
    OwnerResolver owners;
    if (options.ns.chosen())
        owners.setNetworkNamespace({options.ns.device(), options.ns.inode()},
                                   procNetInode(options.ns));
    if (options.owners)
        owners.refresh(*dump);
    DumpWriter writer(options);
    for (const SocketRecord &socket : *dump) {
        if (options.owners) {
            const OwnerLookup owner = owners.lookup(socket);
            writer.write(socket, &owner);
        } else {
            writer.write(socket, nullptr);
        }
    }
    if (options.owners && !owners.sawEverything())
        explainMissingOwners();
    return writer.finish();
}

// Each datagram of the reply is written while the kernel prepares the next.
int writeStreamed(DiagClient &client, const DumpOptions &options)
{
    DumpWriter writer(options);
    const Status streamed = client.stream(options.filter, [&](std::span<const SocketRecord> part) {
        for (const SocketRecord &socket : part)
            writer.write(socket, nullptr);
    });
    const int written = writer.finish();
    if (!streamed) {
        std::fprintf(stderr, "sockscope: %s\n", qPrintable(streamed.error().message));
        return 1;
    }
    return written;
}

// A server's sockets: the first snapshot its agent (or ss) sends, filtered here.
int writeRemote(const SshTarget &target, const DumpOptions &options, bool install)
{
    RemoteSource source(target);
    source.setReconnect(false);
    std::vector<OwnedSocket> sockets;
    const int status = runRemote(
        source,
        [&](const PollBatch &batch) {
            if (!batch.initial)
                return true;
            for (const SocketEvent &event : batch.events) {
                const ConnectionView &view = event.connection;
                if (event.kind == EventKind::Appeared && options.filter.matches(view.socket))
                    sockets.push_back({view.socket, view.owner});
            }
            return false;
        },
        install);
    if (status != 0)
        return status;
    if (options.sorted)
        sortForReading(sockets);
    DumpWriter writer(options);
    for (const OwnedSocket &socket : sockets)
        writer.write(socket.socket, options.owners ? &socket.owner : nullptr);
    return writer.finish();
}

} // namespace

int runDump(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Print every TCP socket with its timer and owner, like ss -tanp, in the "
                       "order the kernel lists them."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON array.")});
    parser.addOption({QStringLiteral("info"),
                      QStringLiteral("Ask the kernel for tcp_info (rtt, cwnd, bytes).")});
    parser.addOption({QStringLiteral("no-owners"),
                      QStringLiteral("Do not look for the processes holding each socket (no "
                                     "/proc walk): the fastest dump, like ss -tan.")});
    parser.addOption({QStringLiteral("sort"),
                      QStringLiteral("Listeners first, then by local port and state, so that a "
                                     "port's story reads top-down.")});
    addFilterOptions(parser);
    addNetnsOption(parser);
    addSshOptions(parser);
    FilterCommand parsed = parseFilterCommand(parser, arguments, QStringLiteral("dump"));
    if (parsed.exitNow)
        return *parsed.exitNow;
    auto ns = netnsFromOptions(parser);
    if (!ns)
        return usageError(ns.error().message, QStringLiteral("dump"));
    DumpOptions options;
    options.filter = parsed.filter;
    options.filter.withTcpInfo = parser.isSet(QStringLiteral("info"));
    options.json = parser.isSet(QStringLiteral("json"));
    options.owners = !parser.isSet(QStringLiteral("no-owners"));
    options.sorted = parser.isSet(QStringLiteral("sort"));
    options.ns = *ns;

    const auto ssh = sshTargetFromOptions(parser);
    if (!ssh)
        return usageError(ssh.error().message, QStringLiteral("dump"));
    if (*ssh) {
        if (options.ns.chosen())
            return usageError(QStringLiteral("--netns and --ssh do not go together: the namespace "
                                             "would be the server's (not supported yet)"),
                              QStringLiteral("dump"));
        if (options.filter.withTcpInfo)
            return usageError(QStringLiteral("--info is not available over --ssh (the agent "
                                             "does not read tcp_info)"),
                              QStringLiteral("dump"));
        return writeRemote(**ssh, options, installAgentRequested(parser));
    }

    auto client = DiagClient::open(options.ns);
    if (!client) {
        std::fprintf(stderr, "sockscope: %s\n", qPrintable(client.error().message));
        return 1;
    }
    if (options.owners || options.sorted)
        return writeCollected(**client, options);
    return writeStreamed(**client, options);
}

} // namespace sockscope::cli
