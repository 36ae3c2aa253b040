// SPDX-License-Identifier: GPL-3.0-or-later
// Decoding ring-buffer records: the raw layout tracerecord.h defines, and the
// malformed records the kernel will not produce on demand.
#include "trace/traceevent.h"
#include "trace/tracerecord.h"

#include <cstddef>
#include <cstring>
#include <QTest>
#include <sys/socket.h>
#include <vector>

using namespace sockscope;

namespace {
sockscope_trace_record sampleRecord()
{
    sockscope_trace_record raw{};
    raw.time_ns = 123456789012345ull;
    raw.cookie = 0x1122334455667788ull;
    const unsigned char local[4] = {127, 0, 0, 1};
    const unsigned char remote[4] = {127, 0, 0, 2};
    std::memcpy(raw.local_addr, local, sizeof local);
    std::memcpy(raw.remote_addr, remote, sizeof remote);
    raw.pid = 4242;
    raw.local_port = 40000;
    raw.remote_port = 9000;
    raw.family = AF_INET;
    raw.kind = SOCKSCOPE_TRACE_STATE_CHANGE;
    raw.old_state = 2; // SYN_SENT
    raw.new_state = 1; // ESTABLISHED
    std::strncpy(raw.comm, "sockscope", sizeof raw.comm);
    return raw;
}

std::vector<std::byte> bytesOf(const sockscope_trace_record &raw)
{
    std::vector<std::byte> bytes(sizeof raw);
    std::memcpy(bytes.data(), &raw, sizeof raw);
    return bytes;
}
} // namespace

class TestTraceEvent : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decodesEveryField()
    {
        const std::vector<std::byte> bytes = bytesOf(sampleRecord());
        Result<TraceEvent> event = decodeTraceRecord(bytes);
        QVERIFY2(event.ok(), qPrintable(event ? QString() : event.error().message));
        QCOMPARE(event->timeNs, std::int64_t(123456789012345));
        QCOMPARE(event->kind, TraceKind::StateChange);
        QCOMPARE(event->from, TcpState::SynSent);
        QCOMPARE(event->to, TcpState::Established);
        QCOMPARE(event->family, Family::IPv4);
        QCOMPARE(event->local.text(Family::IPv4), QStringLiteral("127.0.0.1:40000"));
        QCOMPARE(event->remote.text(Family::IPv4), QStringLiteral("127.0.0.2:9000"));
        QCOMPARE(event->cookie, std::uint64_t(0x1122334455667788ull));
        QCOMPARE(event->pid, 4242);
        QCOMPARE(event->command, QStringLiteral("sockscope"));
        QVERIFY(!event->finReceived);
    }

    void finReceivedFlag_data()
    {
        QTest::addColumn<int>("flags");
        QTest::addColumn<bool>("finReceived");
        QTest::newRow("none") << 0 << false;
        QTest::newRow("fin") << int(SOCKSCOPE_TRACE_FIN_RECEIVED) << true;
        QTest::newRow("fin and unknown bits") << 0xff << true;
        QTest::newRow("unknown bits only") << 0xfe << false;
    }

    void finReceivedFlag()
    {
        QFETCH(int, flags);
        QFETCH(bool, finReceived);
        sockscope_trace_record raw = sampleRecord();
        raw.old_state = 5; // FIN_WAIT2
        raw.new_state = 7; // CLOSE
        raw.flags = static_cast<__u8>(flags);
        Result<TraceEvent> event = decodeTraceRecord(bytesOf(raw));
        QVERIFY(event.ok());
        QCOMPARE(event->finReceived, finReceived);
        QCOMPARE(event->from, TcpState::FinWait2);
        QCOMPARE(event->to, TcpState::Close);
        // The flag sits in what was reserved: nothing else moved.
        QCOMPARE(offsetof(sockscope_trace_record, flags), std::size_t(61));
        QCOMPARE(offsetof(sockscope_trace_record, comm), std::size_t(64));
    }

    void commandWithoutTerminatorStopsAtSixteenBytes()
    {
        sockscope_trace_record raw = sampleRecord();
        std::memset(raw.comm, 'x', sizeof raw.comm);
        Result<TraceEvent> event = decodeTraceRecord(bytesOf(raw));
        QVERIFY(event.ok());
        QCOMPARE(event->command, QString(16, QLatin1Char('x')));
    }

    void noPidMeansNoCommand()
    {
        sockscope_trace_record raw = sampleRecord();
        raw.pid = 0;
        Result<TraceEvent> event = decodeTraceRecord(bytesOf(raw));
        QVERIFY(event.ok());
        QVERIFY(event->command.isEmpty());
    }

    void resetKindsAndIpv6()
    {
        sockscope_trace_record raw = sampleRecord();
        raw.kind = SOCKSCOPE_TRACE_RECEIVE_RESET;
        raw.family = AF_INET6;
        std::memset(raw.local_addr, 0, sizeof raw.local_addr);
        raw.local_addr[15] = 1;
        Result<TraceEvent> event = decodeTraceRecord(bytesOf(raw));
        QVERIFY(event.ok());
        QCOMPARE(event->kind, TraceKind::ReceiveReset);
        QCOMPARE(event->family, Family::IPv6);
        QCOMPARE(event->local.text(Family::IPv6), QStringLiteral("[::1]:40000"));
    }

    void malformed_data()
    {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("family");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << 0 << 1 << AF_INET << QStringLiteral("0 bytes, expected 80");
        QTest::newRow("truncated") << 79 << 1 << AF_INET << QStringLiteral("79 bytes");
        QTest::newRow("too long") << 88 << 1 << AF_INET << QStringLiteral("88 bytes");
        QTest::newRow("unknown kind") << 80 << 9 << AF_INET << QStringLiteral("unknown kind 9");
        QTest::newRow("zero kind") << 80 << 0 << AF_INET << QStringLiteral("unknown kind 0");
        QTest::newRow("unix family")
            << 80 << 1 << AF_UNIX << QStringLiteral("unknown address family 1");
    }

    void malformed()
    {
        QFETCH(int, size);
        QFETCH(int, kind);
        QFETCH(int, family);
        QFETCH(QString, expected);
        sockscope_trace_record raw = sampleRecord();
        raw.kind = static_cast<__u8>(kind);
        raw.family = static_cast<__u16>(family);
        std::vector<std::byte> bytes = bytesOf(raw);
        bytes.resize(static_cast<std::size_t>(size), std::byte{0});
        Result<TraceEvent> event = decodeTraceRecord(bytes);
        QVERIFY(!event.ok());
        QCOMPARE(event.error().errnum, 0);
        QVERIFY2(event.error().message.contains(expected), qPrintable(event.error().message));
    }
};

QTEST_GUILESS_MAIN(TestTraceEvent)
#include "tst_traceevent.moc"
