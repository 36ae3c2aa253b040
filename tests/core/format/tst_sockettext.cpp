// SPDX-License-Identifier: GPL-3.0-or-later
// Every text the command line, the explanations and the window print about
// sockets: durations, countdowns, timers, owners, the dump table, the watch line.
#include "format/durationtext.h"
#include "format/ownertext.h"
#include "format/sockettext.h"
#include "loopback.h"

#include <QTest>

Q_DECLARE_METATYPE(sockscope::OwnerLookup)

using namespace sockscope;
using sockscope::test::loopbackEndpoint;

namespace {
SocketRecord timerSocket(TimerKind timer, std::uint32_t expiresMs, std::uint32_t retrans,
                         TcpState state = TcpState::TimeWait)
{
    SocketRecord socket;
    socket.state = state;
    socket.timer = timer;
    socket.expiresMs = expiresMs;
    socket.retrans = retrans;
    return socket;
}

const OwnerLookup kNginx{Ownership::Owned,
                         {{4242, 7, QStringLiteral("/usr/sbin/nginx -g daemon")}}};
const OwnerLookup kShared{Ownership::Owned,
                          {{4242, 7, QStringLiteral("/usr/sbin/nginx -g daemon")},
                           {4243, 7, QStringLiteral("nginx: worker process")}}};
const OwnerLookup kOrphaned{Ownership::Orphaned, {}};
const OwnerLookup kUnknown{Ownership::Unknown, {}};
} // namespace

class TestSocketText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void durations_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("negative") << qint64(-5) << "0 ms";
        QTest::newRow("milliseconds") << qint64(850) << "850 ms";
        QTest::newRow("last millisecond") << qint64(999) << "999 ms";
        QTest::newRow("one second") << qint64(1000) << "1.0 s";
        QTest::newRow("tenths round down") << qint64(42199) << "42.1 s";
        QTest::newRow("never 60.0 s") << qint64(59999) << "59.9 s";
        QTest::newRow("one minute") << qint64(60000) << "1 min 00 s";
        QTest::newRow("seconds padded") << qint64(63900) << "1 min 03 s";
        QTest::newRow("last minute") << qint64(3599999) << "59 min 59 s";
        QTest::newRow("hours") << qint64(7500000) << "2 h 05 min";
    }
    void durations()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(durationText(ms), text);
    }

    // The event log's times: microseconds, truncated, from nanoseconds.
    void offsetsInNanoseconds_data()
    {
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<QString>("text");
        QTest::newRow("origin") << qint64(0) << "0.000000 s";
        QTest::newRow("sub-microsecond") << qint64(999) << "0.000000 s";
        QTest::newRow("one microsecond") << qint64(1000) << "0.000001 s";
        QTest::newRow("traced") << qint64(12345678901) << "12.345678 s";
        QTest::newRow("a minute") << qint64(61000000000) << "61.000000 s";
        QTest::newRow("before the origin") << qint64(-250000) << "-0.000250 s";
        QTest::newRow("barely before") << qint64(-500) << "0.000000 s";
    }
    void offsetsInNanoseconds()
    {
        QFETCH(qint64, ns);
        QFETCH(QString, text);
        QCOMPARE(offsetTextNs(ns), text);
    }

    void countdowns_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("over") << qint64(0) << "now"
                              << "now";
        QTest::newRow("past") << qint64(-20) << "now"
                              << "now";
        QTest::newRow("last millisecond") << qint64(1) << "1 s"
                                          << "in 1 s";
        QTest::newRow("rounds up") << qint64(56001) << "57 s"
                                   << "in 57 s";
        QTest::newRow("rounds up to a minute") << qint64(59001) << "1 min 00 s"
                                               << "in 1 min 00 s";
        QTest::newRow("minutes") << qint64(63000) << "1 min 03 s"
                                 << "in 1 min 03 s";
        QTest::newRow("hours") << qint64(7500000) << "2 h 05 min"
                               << "in 2 h 05 min";
    }
    void countdowns()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QFETCH(QString, phrase);
        QCOMPARE(countdownText(ms), text);
        QCOMPARE(countdownPhrase(ms), phrase);
    }

    void timers_data()
    {
        QTest::addColumn<SocketRecord>("socket");
        QTest::addColumn<qint64>("remainingMs"); // < 0: the dump's expiresMs
        QTest::addColumn<QString>("text");
        QTest::newRow("off") << timerSocket(TimerKind::Off, 0, 0) << qint64(-1) << "";
        QTest::newRow("timewait") << timerSocket(TimerKind::TimeWait, 42150, 0) << qint64(-1)
                                  << "timewait 42.1 s";
        // The kernel times FIN_WAIT2 out on its timewait timer; the learner sees FIN_WAIT2.
        QTest::newRow("fin-wait-2")
            << timerSocket(TimerKind::TimeWait, 58000, 0, TcpState::FinWait2) << qint64(-1)
            << "fin-wait-2 58.0 s";
        QTest::newRow("retransmits after the slash")
            << timerSocket(TimerKind::Keepalive, 7000, 2) << qint64(-1) << "keepalive 7.0 s/2";
        QTest::newRow("short") << timerSocket(TimerKind::Retransmit, 200, 1) << qint64(-1)
                               << "retransmit 200 ms/1";
        QTest::newRow("long") << timerSocket(TimerKind::Keepalive, 7200000, 0) << qint64(-1)
                              << "keepalive 2 h 00 min";
        QTest::newRow("what is left now")
            << timerSocket(TimerKind::TimeWait, 60000, 0) << qint64(30000) << "timewait 30.0 s";
    }
    void timers()
    {
        QFETCH(SocketRecord, socket);
        QFETCH(qint64, remainingMs);
        QFETCH(QString, text);
        QCOMPARE(remainingMs < 0 ? timerText(socket) : timerText(socket, remainingMs), text);
    }

    void owners_data()
    {
        QTest::addColumn<OwnerLookup>("owner");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("shortText");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("one process") << kNginx << "pid 4242 /usr/sbin/nginx -g daemon (fd 7)"
                                     << "pid 4242 nginx"
                                     << "pid 4242 nginx";
        QTest::newRow("shared") << kShared
                                << "pid 4242 /usr/sbin/nginx -g daemon (fd 7), pid 4243 nginx: "
                                   "worker process (fd 7)"
                                << "pid 4242 nginx +1"
                                << "pids 4242, 4243 nginx";
        // A process the trace named has no descriptor (fd -1): none is shown.
        QTest::newRow("traced") << OwnerLookup{Ownership::Owned,
                                               {OwnerProcess{4242, -1, QStringLiteral("curl")}}}
                                << "pid 4242 curl"
                                << "pid 4242 curl"
                                << "pid 4242 curl";
        QTest::newRow("orphaned") << kOrphaned << "orphaned"
                                  << "orphaned"
                                  << "";
        QTest::newRow("unknown") << kUnknown << "unknown"
                                 << "unknown"
                                 << "owner unknown";
    }
    void owners()
    {
        QFETCH(OwnerLookup, owner);
        QFETCH(QString, text);
        QFETCH(QString, shortText);
        QFETCH(QString, phrase);
        QCOMPARE(ownerText(owner), text);
        QCOMPARE(shortOwnerText(owner), shortText);
        QCOMPARE(ownerPhrase(owner), phrase);
    }

    void dumpTableAligns()
    {
        SocketRecord listener;
        listener.state = TcpState::Listen;
        listener.local = loopbackEndpoint(9000);
        listener.sendQ = 128;
        SocketRecord timeWait;
        timeWait.state = TcpState::TimeWait;
        timeWait.local = loopbackEndpoint(10001);
        timeWait.remote = loopbackEndpoint(9000);
        timeWait.timer = TimerKind::TimeWait;
        timeWait.expiresMs = 42150;
        const QStringList lines = socketTable({{listener, kNginx}, {timeWait, kOrphaned}});
        // Fixed columns (the dump is written as the kernel sends it): a value
        // wider than its column pushes the rest of its line right.
        const QStringList expected = {
            QStringLiteral(
                "State        Recv-Q  Send-Q  Local Address:Port     Peer Address:Port      "
                "Timer             Owner"),
            QStringLiteral(
                "LISTEN            0     128  127.0.0.1:9000         0.0.0.0:0              "
                "                  pid 4242 /usr/sbin/nginx -g daemon (fd 7)"),
            QStringLiteral(
                "TIME_WAIT         0       0  127.0.0.1:10001        127.0.0.1:9000         "
                "timewait 42.1 s   orphaned"),
        };
        QCOMPARE(lines, expected);
    }

    // `dump --no-owners`: no Owner column, nothing trailing; a long IPv6
    // endpoint pushes the next column right rather than being cut.
    void dumpRowsWithoutOwners()
    {
        SocketRecord established;
        established.family = Family::IPv6;
        established.state = TcpState::Established;
        established.local.address = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
        established.local.port = 50000;
        established.remote.address[15] = 1;
        established.remote.port = 9000;
        QByteArray text;
        appendSocketTableHeader(text, false);
        appendSocketRow(text, established, nullptr);
        QCOMPARE(text, QByteArray("State        Recv-Q  Send-Q  Local Address:Port     Peer "
                                  "Address:Port      Timer\n"
                                  "ESTABLISHED       0       0  [::ffff:127.0.0.1]:50000  "
                                  "[::1]:9000\n"));
    }

    void watchLines_data()
    {
        QTest::addColumn<SocketEvent>("event");
        QTest::addColumn<QString>("line");
        const auto event = [](EventKind kind, TcpState from, TcpState to, std::int64_t timeMs,
                              EventSource source) {
            SocketEvent e;
            e.kind = kind;
            e.from = from;
            e.to = to;
            e.timeMs = timeMs;
            e.source = source;
            e.connection.socket.local = loopbackEndpoint(10001);
            e.connection.socket.remote = loopbackEndpoint(9000);
            e.connection.owner = kOrphaned;
            return e;
        };
        QTest::newRow("appeared") << event(EventKind::Appeared, TcpState::Unknown,
                                           TcpState::SynSent, 13345, EventSource::Poll)
                                  << "  12.345 s  appeared SYN_SENT                   "
                                     "127.0.0.1:10001 -> 127.0.0.1:9000  orphaned";
        QTest::newRow("state") << event(EventKind::StateChanged, TcpState::Established,
                                        TcpState::FinWait2, 13345, EventSource::Poll)
                               << "  12.345 s  state ESTABLISHED -> FIN_WAIT2      "
                                  "127.0.0.1:10001 -> 127.0.0.1:9000  orphaned";
        QTest::newRow("gone, seen by the destroy notice")
            << event(EventKind::Gone, TcpState::TimeWait, TcpState::Unknown, 1000 + 1234567,
                     EventSource::Destroy)
            << "1234.567 s  gone (was TIME_WAIT)                127.0.0.1:10001 -> "
               "127.0.0.1:9000  orphaned  [seen by destroy notice]";
    }
    void watchLines()
    {
        QFETCH(SocketEvent, event);
        QFETCH(QString, line);
        QCOMPARE(eventLine(event, 1000), line);
    }
};

QTEST_GUILESS_MAIN(TestSocketText)
#include "tst_sockettext.moc"
