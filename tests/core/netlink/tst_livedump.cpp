// SPDX-License-Identifier: GPL-3.0-or-later
// DiagClient and DestroyWatcher against real loopback sockets.
#include "descriptorlimit.h"
#include "loopback.h"
#include "netlink/destroywatcher.h"
#include "netlink/diagclient.h"
#include "netns.h"

#include <algorithm>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <poll.h>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTest>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace sockscope;

namespace {

constexpr int kTimeoutMs = 5000;

struct Pair
{
    UniqueFd listener;
    UniqueFd client;
    UniqueFd server;
    std::uint16_t port = 0;
    std::uint16_t clientPort = 0;
};

Pair connectedPair(bool ipv6 = false)
{
    Pair pair;
    pair.listener = test::listenOn(ipv6);
    pair.port = test::localPort(pair.listener.get());
    pair.client = test::connectTo(pair.port, ipv6);
    pair.server = test::acceptOne(pair.listener.get());
    pair.clientPort = test::localPort(pair.client.get());
    return pair;
}

std::uint32_t inodeOf(int fd)
{
    struct stat status = {};
    return ::fstat(fd, &status) == 0 ? static_cast<std::uint32_t>(status.st_ino) : 0;
}

const SocketRecord *find(const std::vector<SocketRecord> &records, std::uint16_t localPort,
                         std::uint16_t remotePort = 0)
{
    const auto it = std::find_if(records.begin(), records.end(), [&](const SocketRecord &r) {
        return r.local.port == localPort && r.remote.port == remotePort;
    });
    return it == records.end() ? nullptr : &*it;
}

DumpFilter makeFilter(std::uint32_t stateMask, std::optional<Family> family = {},
                      bool withTcpInfo = false)
{
    DumpFilter filter;
    filter.stateMask = stateMask;
    filter.family = family;
    filter.withTcpInfo = withTcpInfo;
    return filter;
}

} // namespace

class TestLiveDump : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void openFailureNamesTheFix();
    void listener();
    void synRecvRequestSocket();
    void establishedPair();
    void serverClosesFirst();
    void timeWaitCountsDown();
    void ipv6Listener();
    void portFilter();
    void stateFilter_data();
    void stateFilter();
    void cookieStable();
    void tcpInfo();
    void manySockets();
    void destroyWatcher();
    void destroy();

private:
    // Dumps sockets on `port` (local or remote); fails the test on error.
    std::vector<SocketRecord> dumpPort(std::uint16_t port, DumpFilter filter = {});
    std::unique_ptr<DiagClient> m_client;
};

void TestLiveDump::initTestCase()
{
    auto client = DiagClient::open();
    QVERIFY2(client, qPrintable(client ? QString() : client.error().message));
    m_client = std::move(*client);
}

void TestLiveDump::openFailureNamesTheFix()
{
    rlimit saved{};
    QCOMPARE(::getrlimit(RLIMIT_NOFILE, &saved), 0);
    rlimit low = saved;
    low.rlim_cur = static_cast<rlim_t>(test::openDescriptorCount() + 16);
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &low), 0);
    std::vector<UniqueFd> filler; // take every descriptor left under the lowered limit
    for (UniqueFd fd(::dup(STDERR_FILENO)); fd.valid(); fd = UniqueFd(::dup(STDERR_FILENO)))
        filler.push_back(std::move(fd));
    auto client = DiagClient::open();
    filler.clear();
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &saved), 0);
    QVERIFY(!client);
    QCOMPARE(client.error().errnum, EMFILE);
    QVERIFY2(client.error().message.contains(QStringLiteral("ulimit -n")),
             qPrintable(client.error().message));
}

std::vector<SocketRecord> TestLiveDump::dumpPort(std::uint16_t port, DumpFilter filter)
{
    filter.port = port;
    auto records = m_client->dump(filter);
    if (!records) {
        QTest::qFail(qPrintable(records.error().message), __FILE__, __LINE__);
        return {};
    }
    return std::move(*records);
}

void TestLiveDump::listener()
{
    UniqueFd fd = test::listenOn();
    QVERIFY(fd.valid());
    const std::uint16_t port = test::localPort(fd.get());
    const auto records = dumpPort(port);
    QCOMPARE(records.size(), std::size_t(1));
    const SocketRecord &record = records.front();
    QCOMPARE(record.state, TcpState::Listen);
    QCOMPARE(record.family, Family::IPv4);
    QCOMPARE(record.local.port, port);
    QCOMPARE(record.local.addressText(record.family), QStringLiteral("127.0.0.1"));
    QVERIFY(record.remote.isUnspecified());
    QCOMPARE(record.uid, std::uint32_t(::geteuid()));
    QCOMPARE(record.inode, inodeOf(fd.get()));
    QVERIFY(record.inode != 0);

    // As root the uid above is 0, which a zeroed field would match too: a socket
    // created under another effective uid must report that one.
    if (::geteuid() != 0)
        return;
    constexpr uid_t kNobody = 65534;
    QCOMPARE(::seteuid(kNobody), 0);
    UniqueFd foreign = test::listenOn();
    QCOMPARE(::seteuid(0), 0);
    QVERIFY(foreign.valid());
    const auto foreignRecords = dumpPort(test::localPort(foreign.get()));
    QCOMPARE(foreignRecords.size(), std::size_t(1));
    QCOMPARE(foreignRecords.front().uid, std::uint32_t(kNobody));
}

void TestLiveDump::synRecvRequestSocket()
{
    // With TCP_DEFER_ACCEPT the listener ignores the handshake's bare ACK, so the
    // connection stays a request socket (the kernel's NEW_SYN_RECV) until data comes.
    UniqueFd listener = test::listenOn();
    QVERIFY(listener.valid());
    const int deferSeconds = 30;
    QCOMPARE(::setsockopt(listener.get(), IPPROTO_TCP, TCP_DEFER_ACCEPT, &deferSeconds,
                          sizeof deferSeconds),
             0);
    const std::uint16_t port = test::localPort(listener.get());
    UniqueFd client = test::connectTo(port);
    QVERIFY(client.valid());
    const std::uint16_t clientPort = test::localPort(client.get());

    const auto requests = dumpPort(port, makeFilter(DumpFilter::stateBit(TcpState::SynRecv)));
    QCOMPARE(requests.size(), std::size_t(1));
    QCOMPARE(requests.front().state, TcpState::SynRecv);
    QCOMPARE(requests.front().local.port, port);
    QCOMPARE(requests.front().remote.port, clientPort);
    QCOMPARE(requests.front().inode, 0u);

    const auto others = dumpPort(port, makeFilter(~DumpFilter::stateBit(TcpState::SynRecv)));
    QCOMPARE(others.size(), std::size_t(2)); // the listener and the client
    QVERIFY(!find(others, port, clientPort));
}

void TestLiveDump::establishedPair()
{
    Pair pair = connectedPair();
    QVERIFY(pair.server.valid());
    const auto records = dumpPort(pair.port);
    QCOMPARE(records.size(), std::size_t(3));
    const SocketRecord *client = find(records, pair.clientPort, pair.port);
    const SocketRecord *server = find(records, pair.port, pair.clientPort);
    QVERIFY(client && server);
    for (const SocketRecord *record : {client, server}) {
        QCOMPARE(record->state, TcpState::Established);
        QCOMPARE(record->local.addressText(Family::IPv4), QStringLiteral("127.0.0.1"));
        QCOMPARE(record->remote.addressText(Family::IPv4), QStringLiteral("127.0.0.1"));
    }
    QCOMPARE(client->inode, inodeOf(pair.client.get()));
    QCOMPARE(server->inode, inodeOf(pair.server.get()));
}

void TestLiveDump::serverClosesFirst()
{
    SOCKSCOPE_REQUIRE_NETNS(); // leaves a 60 s FIN_WAIT2 behind
    Pair pair = connectedPair();
    QVERIFY(pair.server.valid());
    pair.server.reset();
    SocketRecord server;
    SocketRecord client;
    const auto halfClosed = [&] {
        const auto records = dumpPort(pair.port);
        const SocketRecord *s = find(records, pair.port, pair.clientPort);
        const SocketRecord *c = find(records, pair.clientPort, pair.port);
        if (s)
            server = *s;
        if (c)
            client = *c;
        return s && c && s->state == TcpState::FinWait2 && c->state == TcpState::CloseWait;
    };
    QTRY_VERIFY_WITH_TIMEOUT(halfClosed(), kTimeoutMs);
    QCOMPARE(client.inode, inodeOf(pair.client.get()));
    QCOMPARE(server.inode, 0u); // closed: an orphan that no file refers to
    // The kernel's view of an orphaned FIN_WAIT2, for whoever relies on it.
    qInfo("FIN_WAIT2 after close: inode %u, uid %u, timer %s, expires %u ms", server.inode,
          server.uid, qPrintable(timerKindName(server.timer)), server.expiresMs);
}

void TestLiveDump::timeWaitCountsDown()
{
    SOCKSCOPE_REQUIRE_NETNS(); // leaves a 60 s TIME_WAIT behind
    Pair pair = connectedPair();
    QVERIFY(pair.server.valid());
    // The active closer ends in TIME_WAIT once the peer's FIN follows; closing the
    // server before the client's FIN arrived would make it a simultaneous close.
    pair.client.reset();
    pollfd waiter{pair.server.get(), POLLIN, 0};
    QCOMPARE(::poll(&waiter, 1, kTimeoutMs), 1);
    char byte = 0;
    QCOMPARE(::read(pair.server.get(), &byte, 1), ssize_t(0));
    pair.server.reset();
    // Each sample remembers when its dump started and ended: the kernel read the
    // timer somewhere in between.
    struct Sample
    {
        std::optional<SocketRecord> record;
        qint64 startMs = 0;
        qint64 endMs = 0;
    };
    QElapsedTimer clock;
    clock.start();
    const auto sample = [&] {
        Sample taken;
        taken.startMs = clock.elapsed();
        const auto records =
            dumpPort(pair.port, makeFilter(DumpFilter::stateBit(TcpState::TimeWait)));
        taken.endMs = clock.elapsed();
        if (const SocketRecord *record = find(records, pair.clientPort, pair.port))
            taken.record = *record;
        return taken;
    };
    Sample first;
    QTRY_VERIFY_WITH_TIMEOUT((first = sample()).record.has_value(), kTimeoutMs);
    QCOMPARE(first.record->state, TcpState::TimeWait);
    QCOMPARE(first.record->timer, TimerKind::TimeWait);
    QVERIFY(first.record->expiresMs > 0 && first.record->expiresMs <= 60'000);
    QCOMPARE(first.record->inode, 0u); // timewait sockets belong to no file

    Sample second;
    QTRY_VERIFY_WITH_TIMEOUT(clock.elapsed() - first.endMs >= 1100 &&
                                 (second = sample()).record.has_value(),
                             kTimeoutMs);
    QCOMPARE(second.record->cookie, first.record->cookie);
    const qint64 countedDown = qint64(first.record->expiresMs) - second.record->expiresMs;
    // Slack for the jiffy granularity of both readings (10 ms each at HZ=100).
    const qint64 least = second.startMs - first.endMs - 30;
    const qint64 most = second.endMs - first.startMs + 30;
    QVERIFY2(countedDown >= least && countedDown <= most,
             qPrintable(QStringLiteral("counted down %1 ms, expected %2..%3 ms")
                            .arg(countedDown)
                            .arg(least)
                            .arg(most)));
}

void TestLiveDump::ipv6Listener()
{
    UniqueFd fd = test::listenOn(true);
    if (!fd.valid())
        QSKIP("no IPv6 loopback (::1) here");
    const std::uint16_t port = test::localPort(fd.get());
    const auto records = dumpPort(port, makeFilter(~0u, Family::IPv6));
    QCOMPARE(records.size(), std::size_t(1));
    QCOMPARE(records.front().family, Family::IPv6);
    QCOMPARE(familyName(records.front().family), QStringLiteral("ipv6"));
    QCOMPARE(records.front().local.addressText(Family::IPv6), QStringLiteral("::1"));
    QCOMPARE(records.front().state, TcpState::Listen);
    QCOMPARE(records.front().inode, inodeOf(fd.get()));
    QVERIFY(dumpPort(port, makeFilter(~0u, Family::IPv4)).empty());

    UniqueFd v4 = test::listenOn();
    QVERIFY(v4.valid());
    const auto ipv4Only = m_client->dump(makeFilter(~0u, Family::IPv4));
    QVERIFY(ipv4Only);
    QVERIFY(find(*ipv4Only, test::localPort(v4.get())));
    QVERIFY(std::all_of(ipv4Only->begin(), ipv4Only->end(),
                        [](const SocketRecord &r) { return r.family == Family::IPv4; }));
}

void TestLiveDump::portFilter()
{
    Pair a = connectedPair();
    Pair b = connectedPair();
    QVERIFY(a.server.valid() && b.server.valid());
    const auto records = dumpPort(a.port);
    QCOMPARE(records.size(), std::size_t(3));
    for (const SocketRecord &record : records)
        QVERIFY(record.local.port == a.port || record.remote.port == a.port);
    QVERIFY(find(records, a.port));               // listener: local port
    QVERIFY(find(records, a.clientPort, a.port)); // client: remote port
    QVERIFY(!find(records, b.port));

    auto all = m_client->dump({});
    QVERIFY(all);
    QVERIFY(find(*all, a.port) && find(*all, b.port));
}

void TestLiveDump::stateFilter_data()
{
    QTest::addColumn<std::uint32_t>("mask");
    QTest::addColumn<int>("expected");
    const auto bit = DumpFilter::stateBit;
    QTest::newRow("listen") << bit(TcpState::Listen) << 1;
    QTest::newRow("established") << bit(TcpState::Established) << 2;
    QTest::newRow("listen and established")
        << (bit(TcpState::Listen) | bit(TcpState::Established)) << 3;
    QTest::newRow("time-wait") << bit(TcpState::TimeWait) << 0;
    QTest::newRow("all") << 0xFFFFFFFFu << 3;
}

void TestLiveDump::stateFilter()
{
    QFETCH(std::uint32_t, mask);
    QFETCH(int, expected);
    Pair pair = connectedPair();
    QVERIFY(pair.server.valid());
    const auto records = dumpPort(pair.port, makeFilter(mask));
    QCOMPARE(int(records.size()), expected);
    for (const SocketRecord &record : records)
        QVERIFY(mask & DumpFilter::stateBit(record.state));
}

void TestLiveDump::cookieStable()
{
    Pair pair = connectedPair();
    QVERIFY(pair.server.valid());
    const auto first = dumpPort(pair.port);
    const auto second = dumpPort(pair.port);
    QCOMPARE(first.size(), std::size_t(3));
    QCOMPARE(second.size(), std::size_t(3));
    for (const SocketRecord &record : first) {
        QVERIFY(record.cookie != 0);
        const SocketRecord *again = find(second, record.local.port, record.remote.port);
        QVERIFY(again);
        QCOMPARE(again->cookie, record.cookie);
        QCOMPARE(std::count_if(first.begin(), first.end(),
                               [&](const SocketRecord &r) { return r.cookie == record.cookie; }),
                 1);
    }
}

void TestLiveDump::tcpInfo()
{
    Pair pair = connectedPair();
    QVERIFY(pair.server.valid());
    const QByteArray data(4096, 'x');
    QCOMPARE(::write(pair.client.get(), data.constData(), data.size()), data.size());
    QByteArray received(data.size(), '\0');
    qsizetype got = 0;
    while (got < data.size()) {
        const ssize_t n = ::read(pair.server.get(), received.data() + got, data.size() - got);
        QVERIFY(n > 0);
        got += n;
    }
    const auto measured = [&] {
        const auto records = dumpPort(pair.port, makeFilter(~0u, {}, true));
        const SocketRecord *client = find(records, pair.clientPort, pair.port);
        return client && client->info && client->info->rttUs > 0 &&
               client->info->bytesAcked >= std::uint64_t(data.size());
    };
    QTRY_VERIFY_WITH_TIMEOUT(measured(), kTimeoutMs);
    const auto withInfo = dumpPort(pair.port, makeFilter(~0u, {}, true));
    const SocketRecord *server = find(withInfo, pair.port, pair.clientPort);
    QVERIFY(server && server->info);
    QCOMPARE(server->info->bytesReceived, std::uint64_t(data.size()));
    QVERIFY(server->info->sendCwnd > 0);

    const auto without = dumpPort(pair.port);
    QVERIFY(!without.empty());
    for (const SocketRecord &record : without)
        QVERIFY(!record.info.has_value());
}

void TestLiveDump::manySockets()
{
    SOCKSCOPE_REQUIRE_NETNS(); // thousands of ports
    constexpr int kConnections = 2000;
    if (!test::raiseDescriptorLimit(2 * kConnections + 256))
        QSKIP("cannot raise RLIMIT_NOFILE far enough");
    UniqueFd listener = test::listenOn();
    QVERIFY(listener.valid());
    const std::uint16_t port = test::localPort(listener.get());
    std::vector<UniqueFd> fds;
    fds.reserve(2 * kConnections);
    for (int i = 0; i < kConnections; ++i) {
        fds.push_back(test::connectTo(port));
        fds.push_back(test::acceptOne(listener.get()));
        QVERIFY(fds[fds.size() - 2].valid() && fds.back().valid());
    }
    const auto records = dumpPort(port);
    QCOMPARE(int(records.size()), 2 * kConnections + 1);
    QCOMPARE(std::count_if(records.begin(), records.end(),
                           [](const SocketRecord &r) { return r.state == TcpState::Established; }),
             2 * kConnections);
    auto all = m_client->dump(makeFilter(~0u, {}, true));
    QVERIFY(all);
    QVERIFY(int(all->size()) >= 2 * kConnections + 1);
}

void TestLiveDump::destroyWatcher()
{
    auto opened = DestroyWatcher::open();
    if (!opened && opened.error().errnum == EPERM)
        QSKIP(qPrintable(opened.error().message));
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
    DestroyWatcher &watcher = **opened;
    QVERIFY(watcher.fd() >= 0);

    Pair pair = connectedPair();
    QVERIFY(pair.server.valid());
    const auto before = dumpPort(pair.port);
    const SocketRecord *client = find(before, pair.clientPort, pair.port);
    QVERIFY(client);
    const std::uint64_t cookie = client->cookie;
    // An abortive close frees the socket at once instead of keeping it for TIME_WAIT.
    const linger abort{1, 0};
    QCOMPARE(::setsockopt(pair.client.get(), SOL_SOCKET, SO_LINGER, &abort, sizeof abort), 0);
    pair.client.reset();

    std::optional<SocketRecord> seen;
    // QTRY_VERIFY evaluates once more after success: keep what was already read.
    const auto notified = [&] {
        if (seen)
            return true;
        pollfd waiter{watcher.fd(), POLLIN, 0};
        if (::poll(&waiter, 1, 50) != 1)
            return false;
        auto records = watcher.readPending();
        if (!records) {
            QTest::qFail(qPrintable(records.error().message), __FILE__, __LINE__);
            return true;
        }
        for (const SocketRecord &record : *records) {
            if (record.cookie == cookie)
                seen = record;
        }
        return seen.has_value();
    };
    QTRY_VERIFY_WITH_TIMEOUT(notified(), kTimeoutMs);
    QVERIFY(seen);
    // Only the cookie and the local port are reliable: a connecting socket that is
    // freed has already dropped its auto-bound local address and remote port.
    QCOMPARE(seen->local.port, pair.clientPort);
    QCOMPARE(seen->state, TcpState::Close);
    if (test::inPrivateNetwork()) // the host's other sockets may overflow the queue
        QCOMPARE(watcher.lostOverruns(), 0);
    qInfo("destroy notification: %s -> %s, state %s, inode %u, uid %u, tcp_info %s",
          qPrintable(seen->local.text(seen->family)), qPrintable(seen->remote.text(seen->family)),
          qPrintable(tcpStateName(seen->state)), seen->inode, seen->uid,
          seen->info ? "present" : "absent");
}

void TestLiveDump::destroy()
{
    Pair pair = connectedPair();
    QVERIFY(pair.server.valid());
    const auto records = dumpPort(pair.port);
    const SocketRecord *found = find(records, pair.clientPort, pair.port);
    QVERIFY(found);
    const SocketRecord client = *found;
    QCOMPARE(client.state, TcpState::Established);

    const Status status = m_client->destroy(client);
    if (!status && (status.error().errnum == EPERM || status.error().errnum == EOPNOTSUPP))
        QSKIP(qPrintable(status.error().message));
    QVERIFY2(status, qPrintable(status ? QString() : status.error().message));

    char byte = 0;
    QCOMPARE(::read(pair.client.get(), &byte, 1), ssize_t(-1));
    QCOMPARE(errno, ECONNABORTED);
    QTRY_VERIFY_WITH_TIMEOUT(!find(dumpPort(pair.port), pair.clientPort, pair.port), kTimeoutMs);

    const Status again = m_client->destroy(client);
    QVERIFY(!again);
    QCOMPARE(again.error().errnum, ENOENT);
    // The peer got a reset and is gone too; the client still works after errors.
    const auto after = dumpPort(pair.port);
    QCOMPARE(after.size(), std::size_t(1));
    QCOMPARE(after.front().state, TcpState::Listen);
}

SOCKSCOPE_TEST_MAIN_NETNS(TestLiveDump, QCoreApplication)
#include "tst_livedump.moc"
