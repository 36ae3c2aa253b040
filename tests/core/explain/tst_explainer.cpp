// SPDX-License-Identifier: GPL-3.0-or-later
// Explanations and the bind checker against real sockets: the culprit must be
// the socket the kernel really has in the way.
#include "explain/bindchecker.h"
#include "explain/explainer.h"
#include "explain/portsnapshot.h"
#include "loopback.h"
#include "netlink/diagclient.h"
#include "netns.h"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <QCoreApplication>
#include <QTest>
#include <sys/socket.h>
#include <unistd.h>

using namespace sockscope;
using namespace sockscope::test;

namespace {

FailureContext bindContext(std::uint16_t port, bool reuseAddr = false)
{
    FailureContext context;
    context.operation = FailureContext::Operation::Bind;
    context.local = loopbackEndpoint(port);
    context.reuseAddr = reuseAddr;
    return context;
}

// A port nothing uses right now (the kernel's pick for port 0).
std::uint16_t freePort()
{
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd.get(), reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::getsockname(fd.get(), reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return 0;
    return ntohs(address.sin_port);
}

// The errno a real bind to 127.0.0.1:port gets: the ground truth for the checker.
int realBindErrno(std::uint16_t port, bool reuseAddr)
{
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    const int one = 1;
    if (reuseAddr)
        ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    return ::bind(fd.get(), reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 ? 0
                                                                                         : errno;
}

bool hasState(std::uint16_t port, TcpState state)
{
    auto client = DiagClient::open();
    if (!client)
        return false;
    DumpFilter filter;
    filter.port = port;
    auto dump = (*client)->dump(filter);
    return dump && std::any_of(dump->begin(), dump->end(),
                               [state](const SocketRecord &s) { return s.state == state; });
}

// A connection whose server side closed first: TIME_WAIT on the listener's
// port, then the listener closed too. Returns the port.
std::uint16_t timeWaitOnServerPort(bool listenerReuseAddr)
{
    std::uint16_t port = 0;
    {
        UniqueFd listener = listenOn(false, 0, listenerReuseAddr);
        port = localPort(listener.get());
        UniqueFd client = connectTo(port);
        UniqueFd server = acceptOne(listener.get());
        server.reset(); // active close on the server side
        QTest::qWait(20);
        client.reset();
    }
    return QTest::qWaitFor([port] { return hasState(port, TcpState::TimeWait); }) ? port : 0;
}

} // namespace

class TestExplainer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listenerHoldsThePort()
    {
        UniqueFd listener = listenOn();
        const std::uint16_t port = localPort(listener.get());
        QCOMPARE(realBindErrno(port, true), EADDRINUSE);

        const Explanation e = explainFailure(EADDRINUSE, bindContext(port, true));
        QCOMPARE(e.errnoName, QStringLiteral("EADDRINUSE"));
        QVERIFY(!e.culprits.isEmpty());
        const Culprit &culprit = e.culprits.first();
        QCOMPARE(culprit.socket.state, TcpState::Listen);
        QCOMPARE(culprit.socket.local.port, port);
        QCOMPARE(culprit.owner.ownership, Ownership::Owned);
        QCOMPARE(culprit.owner.owners.first().pid, int(::getpid()));
        QVERIFY2(culprit.description.contains(QStringLiteral("pid %1").arg(::getpid())),
                 qPrintable(culprit.description));
        QVERIFY(!culprit.endsInMs);
        QVERIFY2(e.text().startsWith(QStringLiteral("EADDRINUSE: 127.0.0.1:%1 is still held by the "
                                                    "LISTEN socket")
                                         .arg(port)),
                 qPrintable(e.text()));
        QVERIFY2(e.note.contains(QLatin1String("SO_REUSEPORT")), qPrintable(e.note));
        QVERIFY(!e.text().contains(QLatin1Char('\n')));
    }

    void closeWaitConnectionHoldsTheClientPort()
    {
        UniqueFd listener = listenOn();
        const std::uint16_t port = localPort(listener.get());
        const std::uint16_t from = freePort();
        UniqueFd client = connectTo(port, false, from);
        QVERIFY(client.valid());
        UniqueFd server = acceptOne(listener.get());
        server.reset(); // the server closes, the client never does
        QTRY_VERIFY(hasState(from, TcpState::CloseWait));
        QCOMPARE(realBindErrno(from, false), EADDRINUSE);

        const Explanation e = explainFailure(EADDRINUSE, bindContext(from));
        QVERIFY(!e.culprits.isEmpty());
        const Culprit &culprit = e.culprits.first();
        QCOMPARE(culprit.socket.state, TcpState::CloseWait);
        QCOMPARE(culprit.socket.local.port, from);
        QCOMPARE(culprit.socket.remote.port, port);
        QCOMPARE(culprit.owner.owners.first().pid, int(::getpid()));
        QVERIFY2(culprit.description.startsWith(
                     QStringLiteral("the CLOSE_WAIT connection 127.0.0.1:%1 → 127.0.0.1:%2 (pid %3")
                         .arg(from)
                         .arg(port)
                         .arg(::getpid())),
                 qPrintable(culprit.description));
        QVERIFY2(culprit.description.contains(QLatin1String("idle")),
                 qPrintable(culprit.description));
        QCOMPARE(culprit.whenItEnds, QStringLiteral("it goes away when that process closes it"));
        QVERIFY(!culprit.endsInMs);

        const BindVerdict verdict = checkBind(Family::IPv4, loopbackEndpoint(from), true, false);
        QVERIFY(!verdict.canBind);
        QCOMPARE(verdict.explanation.errnoName, QStringLiteral("EADDRINUSE"));
        QCOMPARE(verdict.explanation.culprits.first().socket.state, TcpState::CloseWait);
    }

    void timeWaitEndsOnATimer()
    {
        SOCKSCOPE_REQUIRE_NETNS(); // leaves a 60 s TIME_WAIT behind
        const std::uint16_t port = timeWaitOnServerPort(false);
        QVERIFY(port != 0);
        QCOMPARE(realBindErrno(port, false), EADDRINUSE);
        QCOMPARE(realBindErrno(port, true), EADDRINUSE); // the old listener lacked SO_REUSEADDR

        const Explanation e = explainFailure(EADDRINUSE, bindContext(port));
        QVERIFY(!e.culprits.isEmpty());
        const Culprit &culprit = e.culprits.first();
        QCOMPARE(culprit.socket.state, TcpState::TimeWait);
        QVERIFY(culprit.endsInMs);
        QVERIFY2(*culprit.endsInMs > 0 && *culprit.endsInMs <= 60000,
                 qPrintable(QString::number(*culprit.endsInMs)));
        QVERIFY2(culprit.whenItEnds.startsWith(QLatin1String("the kernel removes it in")),
                 qPrintable(culprit.whenItEnds));

        const BindVerdict plain = checkBind(Family::IPv4, loopbackEndpoint(port), false, false);
        QVERIFY(!plain.canBind);
        QVERIFY2(plain.explanation.note.contains(QLatin1String("fails too")),
                 qPrintable(plain.explanation.note));
        const BindVerdict reuse = checkBind(Family::IPv4, loopbackEndpoint(port), true, false);
        QVERIFY(!reuse.canBind);
        QVERIFY2(reuse.explanation.note.contains(QLatin1String("SO_REUSEADDR did not help")),
                 qPrintable(reuse.explanation.note));
    }

    void reuseAddrPassesATimeWaitOfAReuseAddrSocket()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        const std::uint16_t port = timeWaitOnServerPort(true);
        QVERIFY(port != 0);
        QCOMPARE(realBindErrno(port, true), 0);

        const BindVerdict reuse = checkBind(Family::IPv4, loopbackEndpoint(port), true, false);
        QVERIFY2(reuse.canBind, qPrintable(reuse.explanation.text()));
        QCOMPARE(reuse.explanation.errnum, 0);
        QVERIFY(!reuse.explanation.culprits.isEmpty());
        QCOMPARE(reuse.explanation.culprits.first().socket.state, TcpState::TimeWait);
        QVERIFY(reuse.explanation.culprits.first().endsInMs);

        const BindVerdict plain = checkBind(Family::IPv4, loopbackEndpoint(port), false, false);
        QVERIFY(!plain.canBind);
        QVERIFY2(plain.explanation.note.contains(QLatin1String("passes now")),
                 qPrintable(plain.explanation.note));
    }

    void boundSocketIsCalledWhatItIs()
    {
        // bind() alone: no listen(), no connect().
        const std::uint16_t port = freePort();
        UniqueFd bound(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(port);
        QCOMPARE(::bind(bound.get(), reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
        QCOMPARE(realBindErrno(port, false), EADDRINUSE);
        if (!hasState(port, TcpState::Close))
            QSKIP("this kernel's sock_diag does not list bound sockets (Linux 6.8 on does)");

        const Explanation e = explainFailure(EADDRINUSE, bindContext(port));
        QVERIFY(!e.culprits.isEmpty());
        const Culprit &culprit = e.culprits.first();
        QVERIFY(isBoundInactive(culprit.socket));
        QCOMPARE(socketStateDisplayName(culprit.socket), QStringLiteral("BOUND"));
        QVERIFY2(
            culprit.description.startsWith(
                QStringLiteral("the bound socket 127.0.0.1:%1 (pid %2").arg(port).arg(::getpid())),
            qPrintable(culprit.description));
        QVERIFY2(
            culprit.description.endsWith(QLatin1String("which neither listens nor is connected")),
            qPrintable(culprit.description));
        QVERIFY2(!e.text().contains(QLatin1String("CLOSE")) &&
                     !e.text().contains(QLatin1String("0.0.0.0:0")),
                 qPrintable(e.text()));
        QVERIFY2(e.note.contains(QLatin1String("only bound")), qPrintable(e.note));

        const BindVerdict verdict = checkBind(Family::IPv4, loopbackEndpoint(port), false, false);
        QVERIFY(!verdict.canBind);
        QVERIFY2(verdict.explanation.text().contains(QLatin1String("the bound socket")),
                 qPrintable(verdict.explanation.text()));
    }

    void freePortCanBeBound()
    {
        const std::uint16_t port = freePort();
        const BindVerdict verdict = checkBind(Family::IPv4, loopbackEndpoint(port), false, false);
        QVERIFY(verdict.canBind);
        QCOMPARE(verdict.explanation.errnum, 0);
        QVERIFY(verdict.explanation.culprits.isEmpty());
        QVERIFY2(verdict.explanation.text().endsWith(QLatin1String("no socket holds it")),
                 qPrintable(verdict.explanation.text()));
        QCOMPARE(realBindErrno(port, false), 0); // the probe left nothing behind
    }

    void connectionRefused()
    {
        const std::uint16_t port = freePort();
        FailureContext context;
        context.operation = FailureContext::Operation::Connect;
        context.remote = loopbackEndpoint(port);
        const Explanation e = explainFailure(ECONNREFUSED, context);
        QCOMPARE(e.errnoName, QStringLiteral("ECONNREFUSED"));
        QVERIFY2(e.summary.startsWith(QStringLiteral("nothing listens on 127.0.0.1:%1").arg(port)),
                 qPrintable(e.summary));
        QVERIFY(e.culprits.isEmpty());
    }

    void errnoSentences_data()
    {
        QTest::addColumn<int>("errnum");
        QTest::addColumn<int>("operation");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("fragment");
        using Op = FailureContext::Operation;
        QTest::newRow("EMFILE") << EMFILE << int(Op::Socket) << 0 << "RLIMIT_NOFILE";
        QTest::newRow("EMFILE accept") << EMFILE << int(Op::Accept) << 9000 << "accept queue";
        QTest::newRow("ENFILE") << ENFILE << int(Op::Socket) << 0 << "fs.file-max";
        QTest::newRow("EACCES") << EACCES << int(Op::Bind) << 80 << "CAP_NET_BIND_SERVICE";
        QTest::newRow("EADDRNOTAVAIL")
            << EADDRNOTAVAIL << int(Op::Bind) << 9000 << "not an address of this machine";
        QTest::newRow("ETIMEDOUT") << ETIMEDOUT << int(Op::Connect) << 9 << "no answer from";
        QTest::newRow("EINVAL") << EINVAL << int(Op::Bind) << 9000 << "already bound";
        QTest::newRow("EAFNOSUPPORT") << EAFNOSUPPORT << int(Op::Socket) << 0 << "address family";
        QTest::newRow("fallback") << ENOTSOCK << int(Op::Bind) << 9000
                                  << QString::fromLocal8Bit(strerror(ENOTSOCK));
    }

    void errnoSentences()
    {
        QFETCH(int, errnum);
        QFETCH(int, operation);
        QFETCH(int, port);
        QFETCH(QString, fragment);
        FailureContext context;
        context.operation = static_cast<FailureContext::Operation>(operation);
        context.local = loopbackEndpoint(static_cast<std::uint16_t>(port));
        if (context.operation == FailureContext::Operation::Connect)
            context.remote = loopbackEndpoint(static_cast<std::uint16_t>(port));
        const Explanation e = explainFailure(errnum, context);
        QCOMPARE(e.errnum, errnum);
        QVERIFY(e.text().startsWith(e.errnoName + QStringLiteral(": ")));
        QVERIFY2(e.text().contains(fragment), qPrintable(e.text()));
        QVERIFY(!e.text().contains(QLatin1Char('\n')));
    }

    void addressOverlap_data()
    {
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::addColumn<bool>("overlap");
        QTest::newRow("same") << "127.0.0.1"
                              << "127.0.0.1" << true;
        QTest::newRow("other address") << "127.0.0.1"
                                       << "127.0.0.2" << false;
        QTest::newRow("ipv4 wildcard") << "0.0.0.0"
                                       << "127.0.0.1" << true;
        QTest::newRow("ipv6 wildcard covers ipv4") << "::"
                                                   << "127.0.0.1" << true;
        QTest::newRow("ipv6 loopback vs ipv4") << "::1"
                                               << "127.0.0.1" << false;
        QTest::newRow("mapped") << "::ffff:127.0.0.1"
                                << "127.0.0.1" << true;
        QTest::newRow("ipv4 wildcard vs ipv6 loopback") << "0.0.0.0"
                                                        << "::1" << false;
    }

    void addressOverlap()
    {
        QFETCH(QString, first);
        QFETCH(QString, second);
        QFETCH(bool, overlap);
        const auto parse = [](const QString &text, Family &family) {
            Endpoint endpoint;
            family = text.contains(QLatin1Char(':')) ? Family::IPv6 : Family::IPv4;
            ::inet_pton(family == Family::IPv6 ? AF_INET6 : AF_INET, text.toLatin1().constData(),
                        endpoint.address.data());
            return endpoint;
        };
        Family a = Family::IPv4;
        Family b = Family::IPv4;
        const Endpoint x = parse(first, a);
        const Endpoint y = parse(second, b);
        QCOMPARE(bindAddressesOverlap(a, x, b, y), overlap);
        QCOMPARE(bindAddressesOverlap(b, y, a, x), overlap);
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestExplainer, QCoreApplication)
#include "tst_explainer.moc"
