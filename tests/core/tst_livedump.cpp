// SPDX-License-Identifier: GPL-3.0-or-later
// DiagClient and DestroyWatcher against real loopback sockets.
#include "loopback.h"
#include "netlink/destroywatcher.h"
#include "netlink/diagclient.h"
#include "netns.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <cerrno>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace sockscope;
using sockscope::test::Fd;

namespace {

constexpr int kTimeoutMs = 5000;

struct Pair
{
    Fd listener;
    Fd client;
    Fd server;
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
    struct stat status{};
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

DumpFilter stateFilterOf(std::uint32_t mask)
{
    DumpFilter filter;
    filter.stateMask = mask;
    return filter;
}

DumpFilter familyFilterOf(Family family)
{
    DumpFilter filter;
    filter.family = family;
    return filter;
}

DumpFilter tcpInfoFilter()
{
    DumpFilter filter;
    filter.withTcpInfo = true;
    return filter;
}

bool raiseDescriptorLimit(rlim_t wanted)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return false;
    if (limit.rlim_cur >= wanted)
        return true;
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    return ::setrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur >= wanted;
}

} // namespace

class TestLiveDump : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void listener();
    void establishedPair();
    void serverClosesFirst();
    void timeWaitCountsDown();
    void ipv6Listener();
    void portFilter();
    void stateFilter_data();
    void stateFilter();
    void familyFilter();
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
    Fd fd = test::listenOn();
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
    const auto timeWait = [&]() -> std::optional<SocketRecord> {
        const auto records = dumpPort(pair.port, stateFilterOf(DumpFilter::stateBit(TcpState::TimeWait)));
        const SocketRecord *record = find(records, pair.clientPort, pair.port);
        return record ? std::optional(*record) : std::nullopt;
    };
    std::optional<SocketRecord> first;
    QTRY_VERIFY_WITH_TIMEOUT((first = timeWait()).has_value(), kTimeoutMs);
    QElapsedTimer sinceFirst;
    sinceFirst.start();
    QCOMPARE(first->state, TcpState::TimeWait);
    QCOMPARE(first->timer, TimerKind::TimeWait);
    QVERIFY(first->expiresMs > 0 && first->expiresMs <= 60'000);
    QCOMPARE(first->inode, 0u); // timewait sockets belong to no file

    std::optional<SocketRecord> second;
    QTRY_VERIFY_WITH_TIMEOUT(sinceFirst.elapsed() >= 1100 && (second = timeWait()).has_value(),
                             kTimeoutMs);
    const qint64 elapsed = sinceFirst.elapsed();
    QCOMPARE(second->cookie, first->cookie);
    QVERIFY2(second->expiresMs < first->expiresMs,
             qPrintable(QStringLiteral("%1 -> %2").arg(first->expiresMs).arg(second->expiresMs)));
    const qint64 countedDown = qint64(first->expiresMs) - second->expiresMs;
    QVERIFY2(qAbs(countedDown - elapsed) < 250,
             qPrintable(QStringLiteral("counted down %1 ms in %2 ms").arg(countedDown).arg(elapsed)));
}

void TestLiveDump::ipv6Listener()
{
    Fd fd = test::listenOn(true);
    if (!fd.valid())
        QSKIP("no IPv6 loopback (::1) here");
    const std::uint16_t port = test::localPort(fd.get());
    const auto records = dumpPort(port, familyFilterOf(Family::IPv6));
    QCOMPARE(records.size(), std::size_t(1));
    QCOMPARE(records.front().family, Family::IPv6);
    QCOMPARE(familyName(records.front().family), QStringLiteral("ipv6"));
    QCOMPARE(records.front().local.addressText(Family::IPv6), QStringLiteral("::1"));
    QCOMPARE(records.front().state, TcpState::Listen);
    QCOMPARE(records.front().inode, inodeOf(fd.get()));
    QVERIFY(dumpPort(port, familyFilterOf(Family::IPv4)).empty());
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
    QVERIFY(find(records, a.port));                 // listener: local port
    QVERIFY(find(records, a.clientPort, a.port));   // client: remote port
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
    QTest::newRow("listen and established") << (bit(TcpState::Listen) | bit(TcpState::Established))
                                            << 3;
    QTest::newRow("time-wait") << bit(TcpState::TimeWait) << 0;
    QTest::newRow("all") << 0xFFFFFFFFu << 3;
}

void TestLiveDump::stateFilter()
{
    QFETCH(std::uint32_t, mask);
    QFETCH(int, expected);
    Pair pair = connectedPair();
    QVERIFY(pair.server.valid());
    const auto records = dumpPort(pair.port, stateFilterOf(mask));
    QCOMPARE(int(records.size()), expected);
    for (const SocketRecord &record : records)
        QVERIFY(mask & DumpFilter::stateBit(record.state));
}

void TestLiveDump::familyFilter()
{
    Fd v4 = test::listenOn();
    QVERIFY(v4.valid());
    auto records = m_client->dump(familyFilterOf(Family::IPv4));
    QVERIFY(records);
    QVERIFY(find(*records, test::localPort(v4.get())));
    QVERIFY(std::all_of(records->begin(), records->end(),
                        [](const SocketRecord &r) { return r.family == Family::IPv4; }));
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
        const auto records = dumpPort(pair.port, tcpInfoFilter());
        const SocketRecord *client = find(records, pair.clientPort, pair.port);
        return client && client->info && client->info->rttUs > 0 &&
               client->info->bytesAcked >= std::uint64_t(data.size());
    };
    QTRY_VERIFY_WITH_TIMEOUT(measured(), kTimeoutMs);
    const auto withInfo = dumpPort(pair.port, tcpInfoFilter());
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
    if (!raiseDescriptorLimit(2 * kConnections + 256))
        QSKIP("cannot raise RLIMIT_NOFILE far enough");
    Fd listener = test::listenOn();
    QVERIFY(listener.valid());
    const std::uint16_t port = test::localPort(listener.get());
    std::vector<Fd> fds;
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
    auto all = m_client->dump(tcpInfoFilter());
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
    const auto notified = [&] {
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
    QCOMPARE(seen->local.port, pair.clientPort);
    QCOMPARE(seen->remote.port, pair.port);
    QCOMPARE(watcher.lostOverruns(), 0);
    qInfo("destroy notification: state %s, inode %u, uid %u, tcp_info %s",
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
    // The client is still usable after errors.
    QCOMPARE(dumpPort(pair.port).size(), std::size_t(2));
}

SOCKSCOPE_TEST_MAIN_NETNS(TestLiveDump, QCoreApplication)
#include "tst_livedump.moc"
