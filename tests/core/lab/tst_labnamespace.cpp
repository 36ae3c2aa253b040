// SPDX-License-Identifier: GPL-3.0-or-later
// A lab acting in another network namespace (an `ip netns add` one): its
// listeners, clients and server processes are made there, seen by ss inside
// and not in the test's own namespace; their owner is found from any thread;
// a down loopback there is explained with the fix for that namespace.
#include "lab/lab.h"
#include "labtesting.h"
#include "namednamespace.h"
#include "netns.h"
#include "netns/namespacescope.h"
#include "netns/networknamespace.h"
#include "owners/owneddump.h"

#include <csignal>
#include <QCoreApplication>
#include <QTest>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace sockscope;
using namespace sockscope::test;

namespace {
const QString kBinary = QStringLiteral(SOCKSCOPE_BINARY);

// ss lines inside the namespace that have `port` as their local port.
QStringList ssOnPort(const NamedNamespace &ns, std::uint16_t port)
{
    const QString suffix = QStringLiteral(":%1").arg(port);
    QStringList lines;
    for (const QString &line : ns.ssSockets()) {
        if (line.section(QLatin1Char(' '), 1, 1).endsWith(suffix))
            lines << line.section(QLatin1Char(' '), 0, 0);
    }
    return lines;
}

// The pid holding the LISTEN socket on `port`, by a dump with owners made by
// a thread that enters `ns` for it, as the lab's thread does: /proc/self then
// names the main thread's namespace, not the one dumped. 0 when none.
int listenOwnerFromThread(const NetworkNamespace &ns, std::uint16_t port)
{
    int ownerPid = 0;
    std::thread reader([&] {
        auto scope = NamespaceScope::enter(ns);
        if (!scope)
            return;
        DumpFilter filter;
        filter.port = port;
        auto sockets = dumpOwnedSockets(filter);
        for (const OwnedSocket &entry : sockets ? *sockets : std::vector<OwnedSocket>{}) {
            if (entry.socket.state == TcpState::Listen && !entry.owner.owners.isEmpty())
                ownerPid = entry.owner.owners.first().pid;
        }
    });
    reader.join();
    return ownerPid;
}

std::uint64_t namespaceInodeOf(int pid)
{
    struct stat info = {};
    const QByteArray path = QStringLiteral("/proc/%1/ns/net").arg(pid).toLocal8Bit();
    return ::stat(path.constData(), &info) == 0 ? info.st_ino : 0;
}
} // namespace

class TestLabNamespace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { SOCKSCOPE_REQUIRE_NETNS(); }

    void socketsAreMadeThere()
    {
        NamedNamespace named;
        if (!named.unavailable().isEmpty())
            QSKIP(qPrintable(named.unavailable()));
        auto ns = NetworkNamespace::resolve(named.name());
        QVERIFY2(ns, qPrintable(ns ? QString() : ns.error().message));
        const std::uint64_t own = currentNetworkNamespaceInode();
        Lab lab(kBinary, *ns);
        auto listener = lab.listen(loopbackListener(Family::IPv4));
        QVERIFY2(listener, qPrintable(listener ? QString() : listener.error().message));
        const std::uint16_t port = listener->bound.port;
        auto clients = lab.connect(loopbackClient(Family::IPv4, port, ClosePolicy::Keep));
        QVERIFY(clients);
        QCOMPARE(clients->first().phase, ClientPhase::Connected);
        // The caller is back in its own namespace, which has none of them.
        QCOMPARE(currentNetworkNamespaceInode(), own);
        QVERIFY(dumpPort(port).empty());
        QVERIFY(waitUntil([&] { return ssOnPort(named, port).size() == 2; }));
        QCOMPARE(ssOnPort(named, port),
                 (QStringList{QStringLiteral("ESTABLISHED"), QStringLiteral("LISTEN")}));

        QCOMPARE(listenOwnerFromThread(*ns, port), int(::getpid()));
    }

    void serverProcessListensThere()
    {
        NamedNamespace named;
        if (!named.unavailable().isEmpty())
            QSKIP(qPrintable(named.unavailable()));
        auto ns = NetworkNamespace::resolve(named.name());
        QVERIFY(ns);
        Lab lab(kBinary, *ns);
        ServerSpec spec;
        spec.local = loopbackEndpoint(Family::IPv4, 0);
        auto server = lab.startServer(spec);
        QVERIFY2(server, qPrintable(server ? QString() : server.error().message));
        QCOMPARE(namespaceInodeOf(server->pid), ns->inode());
        QCOMPARE(ssOnPort(named, server->bound.port), QStringList{QStringLiteral("LISTEN")});
        // A process of that namespace, found by a dump made from inside it.
        QCOMPARE(listenOwnerFromThread(*ns, server->bound.port), server->pid);
        QVERIFY(dumpPort(server->bound.port).empty());
        QVERIFY(lab.killServer(server->id, SIGTERM));
    }

    void downLoopbackNamesTheNamespace()
    {
        NamedNamespace named(false);
        if (!named.unavailable().isEmpty())
            QSKIP(qPrintable(named.unavailable()));
        auto ns = NetworkNamespace::resolve(named.name());
        QVERIFY(ns);
        Lab lab(kBinary, *ns);
        auto clients = lab.connect(loopbackClient(Family::IPv4, 9, ClosePolicy::Keep));
        QVERIFY(clients);
        const ClientStatus &client = clients->first();
        QCOMPARE(client.phase, ClientPhase::Failed);
        QVERIFY(client.failure);
        QCOMPARE(client.failure->summary,
                 QStringLiteral("loopback is down in network namespace %1: run `ip -n %1 link "
                                "set lo up`")
                     .arg(named.name()));
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestLabNamespace, QCoreApplication)
#include "tst_labnamespace.moc"
