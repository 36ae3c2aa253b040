// SPDX-License-Identifier: GPL-3.0-or-later
// The decoder against malformed input the kernel will not produce on demand: every
// case starts from a message the kernel really sent for a loopback socket.
#include "loopback.h"
#include "netlink/diagparser.h"
#include "netns.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <QCoreApplication>
#include <QTest>
#include <sys/stat.h>
#include <unistd.h>

using namespace sockscope;

namespace {

constexpr int kAttrHeader = sizeof(nlattr);
constexpr unsigned kSequence = 4711;
constexpr unsigned kPortId = 815;

std::span<const std::byte> bytesOf(const QByteArray &data)
{
    return std::as_bytes(std::span(data.constData(), static_cast<std::size_t>(data.size())));
}

QByteArray attribute(std::uint16_t type, const QByteArray &value, int claimedLength = -1)
{
    nlattr header{};
    header.nla_type = type;
    header.nla_len =
        static_cast<std::uint16_t>(claimedLength >= 0 ? claimedLength : kAttrHeader + value.size());
    QByteArray bytes(reinterpret_cast<const char *>(&header), kAttrHeader);
    bytes += value;
    bytes += QByteArray(static_cast<int>(NLA_ALIGN(bytes.size())) - bytes.size(), '\0');
    return bytes;
}

inet_diag_msg headerOf(const QByteArray &payload)
{
    inet_diag_msg message;
    std::memcpy(&message, payload.constData(), sizeof message);
    return message;
}

QByteArray withHeader(QByteArray payload, const inet_diag_msg &message)
{
    std::memcpy(payload.data(), &message, sizeof message);
    return payload;
}

// One netlink message; `length` overrides nlmsg_len to make it lie.
QByteArray netlinkMessage(std::uint16_t type, const QByteArray &payload, std::uint16_t flags = 0,
                          unsigned sequence = kSequence, unsigned portId = kPortId, int length = -1)
{
    alignas(nlmsghdr) char buffer[8192];
    nlmsghdr *message = mnl_nlmsg_put_header(buffer);
    message->nlmsg_type = type;
    message->nlmsg_flags = flags;
    message->nlmsg_seq = sequence;
    message->nlmsg_pid = portId;
    std::memcpy(mnl_nlmsg_put_extra_header(message, NLMSG_ALIGN(payload.size())),
                payload.constData(), static_cast<std::size_t>(payload.size()));
    if (length >= 0)
        message->nlmsg_len = static_cast<std::uint32_t>(length);
    return QByteArray(buffer, static_cast<int>(NLMSG_ALIGN(message->nlmsg_len)));
}

QByteArray intPayload(int value)
{
    return QByteArray(reinterpret_cast<const char *>(&value), sizeof value);
}

// Our own dump, independent of DiagClient, so the fixture is what the kernel sent.
QList<QByteArray> rawDump(std::uint8_t family)
{
    QList<QByteArray> payloads;
    mnl_socket *socket = mnl_socket_open(NETLINK_SOCK_DIAG);
    if (!socket || mnl_socket_bind(socket, 0, MNL_SOCKET_AUTOPID) < 0)
        return payloads;
    alignas(nlmsghdr) char buffer[32768];
    nlmsghdr *request = mnl_nlmsg_put_header(buffer);
    request->nlmsg_type = SOCK_DIAG_BY_FAMILY;
    request->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request->nlmsg_seq = kSequence;
    auto *diag = static_cast<inet_diag_req_v2 *>(
        mnl_nlmsg_put_extra_header(request, sizeof(inet_diag_req_v2)));
    diag->sdiag_family = family;
    diag->sdiag_protocol = IPPROTO_TCP;
    diag->idiag_states = ~0u;
    diag->idiag_ext = 1u << (INET_DIAG_INFO - 1);
    bool done = mnl_socket_sendto(socket, request, request->nlmsg_len) < 0;
    while (!done) {
        int length = static_cast<int>(mnl_socket_recvfrom(socket, buffer, sizeof buffer));
        if (length <= 0)
            break;
        for (auto *message = reinterpret_cast<nlmsghdr *>(buffer); mnl_nlmsg_ok(message, length);
             message = mnl_nlmsg_next(message, &length)) {
            if (message->nlmsg_type != SOCK_DIAG_BY_FAMILY) {
                done = true;
                break;
            }
            payloads.append(QByteArray(static_cast<const char *>(mnl_nlmsg_get_payload(message)),
                                       static_cast<int>(mnl_nlmsg_get_payload_len(message))));
        }
    }
    mnl_socket_close(socket);
    return payloads;
}

} // namespace

class TestDiagParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void realMessages();
    void truncatedHeader_data();
    void truncatedHeader();
    void badAttribute_data();
    void badAttribute();
    void unknownAttributeSkipped();
    void tcpInfoLength_data();
    void tcpInfoLength();
    void fields_data();
    void fields();
    void unknownFamily();
    void ipv6Addresses();
    void dumpBuffer_data();
    void dumpBuffer();

private:
    QByteArray m_listener;    // LISTEN, from the kernel
    QByteArray m_established; // ESTABLISHED after traffic, with tcp_info
    QByteArray m_bare;        // m_established without attributes
    std::uint16_t m_port = 0;
    std::uint16_t m_clientPort = 0;
    ino_t m_listenerInode = 0;
};

void TestDiagParser::initTestCase()
{
    UniqueFd listener = test::listenOn();
    QVERIFY(listener.valid());
    m_port = test::localPort(listener.get());
    UniqueFd client = test::connectTo(m_port);
    QVERIFY(client.valid());
    UniqueFd server = test::acceptOne(listener.get());
    QVERIFY(server.valid());
    char byte = 'x';
    QCOMPARE(::write(client.get(), &byte, 1), 1);
    QCOMPARE(::read(server.get(), &byte, 1), 1);
    m_clientPort = test::localPort(client.get());
    struct stat status = {};
    QCOMPARE(::fstat(listener.get(), &status), 0);
    m_listenerInode = status.st_ino;

    // The ACK of our byte may still be in flight: wait until the kernel counts it.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QByteArray &payload : rawDump(AF_INET)) {
                if (payload.size() < int(sizeof(inet_diag_msg)))
                    continue;
                const inet_diag_msg message = headerOf(payload);
                if (ntohs(message.id.idiag_sport) == m_port && message.idiag_state == 10)
                    m_listener = payload;
                if (ntohs(message.id.idiag_sport) == m_clientPort)
                    m_established = payload;
            }
            const auto parsed = parseInetDiagMessage(bytesOf(m_established));
            return !m_listener.isEmpty() && parsed && parsed->info && parsed->info->bytesAcked >= 2;
        }(),
        5000);
    QVERIFY(m_established.size() > int(sizeof(inet_diag_msg)));
    m_bare = m_established.left(sizeof(inet_diag_msg));
}

void TestDiagParser::realMessages()
{
    const auto listener = parseInetDiagMessage(bytesOf(m_listener));
    QVERIFY2(listener, qPrintable(listener ? QString() : listener.error().message));
    QCOMPARE(listener->family, Family::IPv4);
    QCOMPARE(listener->state, TcpState::Listen);
    QCOMPARE(listener->local.port, m_port);
    QCOMPARE(listener->local.addressText(Family::IPv4), QStringLiteral("127.0.0.1"));
    QVERIFY(listener->remote.isUnspecified());
    QCOMPARE(listener->uid, std::uint32_t(::geteuid()));
    QCOMPARE(ino_t(listener->inode), m_listenerInode);
    QVERIFY(listener->cookie != 0);
    QVERIFY(listener->info.has_value());

    const auto established = parseInetDiagMessage(bytesOf(m_established));
    QVERIFY(established);
    QCOMPARE(established->state, TcpState::Established);
    QCOMPARE(established->local.port, m_clientPort);
    QCOMPARE(established->remote.port, m_port);
    QVERIFY(established->info.has_value());
    QVERIFY(established->info->rttUs > 0);
    QCOMPARE(established->info->bytesAcked, std::uint64_t(2)); // SYN + one byte
    QVERIFY(established->cookie != listener->cookie);
}

void TestDiagParser::truncatedHeader_data()
{
    QTest::addColumn<int>("length");
    QTest::newRow("empty") << 0;
    QTest::newRow("one byte") << 1;
    QTest::newRow("family only") << 4;
    QTest::newRow("one short of inet_diag_msg") << int(sizeof(inet_diag_msg)) - 1;
}

void TestDiagParser::truncatedHeader()
{
    QFETCH(int, length);
    // A heap copy of exactly `length` bytes, so a sanitizer would catch an overread.
    const QByteArray payload = m_established.left(length);
    const auto parsed = parseInetDiagMessage(bytesOf(payload));
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().errnum, EBADMSG);
    QVERIFY2(parsed.error().message.contains(QStringLiteral("shorter than inet_diag_msg")),
             qPrintable(parsed.error().message));
}

void TestDiagParser::badAttribute_data()
{
    QTest::addColumn<QByteArray>("attributes");
    QTest::addColumn<QString>("mentions");
    const QByteArray value(8, '\x01');
    QTest::newRow("length past the end") << attribute(INET_DIAG_INFO, value, kAttrHeader + 12)
                                         << QStringLiteral("only 12 bytes remain");
    QTest::newRow("length below header") << attribute(99, value, 3) << QStringLiteral("shorter");
    QTest::newRow("length zero") << attribute(99, value, 0) << QStringLiteral("shorter");
    QTest::newRow("lying after a good one")
        << attribute(99, value) + attribute(INET_DIAG_INFO, value, 200)
        << QStringLiteral("claims length 200");
    QTest::newRow("two trailing bytes") << QByteArray(2, '\0') << QStringLiteral("trailing");
}

void TestDiagParser::badAttribute()
{
    QFETCH(QByteArray, attributes);
    QFETCH(QString, mentions);
    const auto parsed = parseInetDiagMessage(bytesOf(m_bare + attributes));
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().errnum, EBADMSG);
    QVERIFY2(parsed.error().message.contains(mentions), qPrintable(parsed.error().message));
}

void TestDiagParser::unknownAttributeSkipped()
{
    const auto reference = parseInetDiagMessage(bytesOf(m_established));
    QVERIFY(reference);
    const QByteArray extended = m_established + attribute(250, QByteArray(7, '\x7f'));
    const auto parsed = parseInetDiagMessage(bytesOf(extended));
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
    QCOMPARE(parsed->cookie, reference->cookie);
    QCOMPARE(parsed->state, reference->state);
    QVERIFY(parsed->info.has_value());
    QCOMPARE(parsed->info->rttUs, reference->info->rttUs);

    // The type is masked: flag bits do not turn an attribute into INET_DIAG_INFO or hide one.
    const auto nested =
        parseInetDiagMessage(bytesOf(m_bare + attribute(NLA_F_NESTED | 250, QByteArray(4, '\0'))));
    QVERIFY(nested);
    QVERIFY(!nested->info.has_value());
}

void TestDiagParser::tcpInfoLength_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<bool>("hasRtt");
    QTest::addColumn<bool>("hasBytesAcked");
    QTest::newRow("empty") << 0 << false << false;
    QTest::newRow("first bytes only") << 8 << false << false;
    QTest::newRow("before tcpi_bytes_acked (older kernel)")
        << int(offsetof(tcp_info, tcpi_bytes_acked)) << true << false;
    QTest::newRow("odd length, ending inside tcpi_rcv_space")
        << int(offsetof(tcp_info, tcpi_rcv_space)) + 3 << true << false;
    QTest::newRow("this header's size") << int(sizeof(tcp_info)) << true << true;
    QTest::newRow("longer (newer kernel)") << int(sizeof(tcp_info)) + 24 << true << true;
}

void TestDiagParser::tcpInfoLength()
{
    QFETCH(int, length);
    QFETCH(bool, hasRtt);
    QFETCH(bool, hasBytesAcked);
    const auto reference = parseInetDiagMessage(bytesOf(m_established));
    QVERIFY(reference && reference->info);

    // Rebuild INET_DIAG_INFO from the real tcp_info, cut or extended to `length`.
    QByteArray info;
    const QByteArray attributes = m_established.mid(NLMSG_ALIGN(sizeof(inet_diag_msg)));
    for (int at = 0; at + kAttrHeader <= attributes.size();) {
        nlattr header;
        std::memcpy(&header, attributes.constData() + at, sizeof header);
        if (header.nla_type == INET_DIAG_INFO)
            info = attributes.mid(at + kAttrHeader, header.nla_len - kAttrHeader);
        at += NLA_ALIGN(header.nla_len);
    }
    QVERIFY(info.size() >= int(offsetof(tcp_info, tcpi_bytes_received)));
    info = info.leftJustified(length, '\0', true);

    const auto parsed = parseInetDiagMessage(bytesOf(m_bare + attribute(INET_DIAG_INFO, info)));
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
    QVERIFY(parsed->info.has_value());
    QCOMPARE(parsed->info->rttUs, hasRtt ? reference->info->rttUs : 0u);
    QCOMPARE(parsed->info->bytesAcked, hasBytesAcked ? reference->info->bytesAcked : 0u);
}

void TestDiagParser::fields_data()
{
    QTest::addColumn<int>("kernelTimer");
    QTest::addColumn<TimerKind>("timer");
    QTest::addColumn<int>("kernelState");
    QTest::addColumn<TcpState>("state");
    QTest::newRow("off, close-wait") << 0 << TimerKind::Off << 8 << TcpState::CloseWait;
    QTest::newRow("retransmit, syn-sent") << 1 << TimerKind::Retransmit << 2 << TcpState::SynSent;
    QTest::newRow("keepalive, established")
        << 2 << TimerKind::Keepalive << 1 << TcpState::Established;
    QTest::newRow("timewait, time-wait") << 3 << TimerKind::TimeWait << 6 << TcpState::TimeWait;
    QTest::newRow("probe, fin-wait2") << 4 << TimerKind::Probe << 5 << TcpState::FinWait2;
    QTest::newRow("unknown timer, new-syn-recv") << 9 << TimerKind::Off << 12 << TcpState::SynRecv;
}

void TestDiagParser::fields()
{
    QFETCH(int, kernelTimer);
    QFETCH(TimerKind, timer);
    QFETCH(int, kernelState);
    QFETCH(TcpState, state);
    inet_diag_msg message = headerOf(m_bare);
    message.idiag_timer = static_cast<std::uint8_t>(kernelTimer);
    message.idiag_state = static_cast<std::uint8_t>(kernelState);
    message.idiag_rqueue = 111;
    message.idiag_wqueue = 222;
    message.idiag_expires = 59'000;
    message.idiag_retrans = 3;
    message.idiag_uid = 4242;
    message.idiag_inode = 987654;
    message.id.idiag_cookie[0] = 0x89abcdef;
    message.id.idiag_cookie[1] = 0x01234567;
    message.id.idiag_sport = htons(10001);
    message.id.idiag_dport = htons(443);
    message.id.idiag_dst[0] = htonl(0x0a000001);
    const auto parsed = parseInetDiagMessage(bytesOf(withHeader(m_bare, message)));
    QVERIFY(parsed);
    QCOMPARE(parsed->timer, timer);
    QCOMPARE(parsed->state, state);
    QCOMPARE(parsed->recvQ, 111u);
    QCOMPARE(parsed->sendQ, 222u);
    QCOMPARE(parsed->expiresMs, 59'000u);
    QCOMPARE(parsed->retrans, std::uint8_t(3));
    QCOMPARE(parsed->uid, 4242u);
    QCOMPARE(parsed->inode, 987654u);
    QCOMPARE(parsed->cookie, std::uint64_t(0x0123456789abcdefULL));
    QCOMPARE(parsed->local.port, std::uint16_t(10001));
    QCOMPARE(parsed->remote.text(Family::IPv4), QStringLiteral("10.0.0.1:443"));
    QVERIFY(!parsed->info.has_value());
}

void TestDiagParser::unknownFamily()
{
    inet_diag_msg message = headerOf(m_bare);
    message.idiag_family = AF_UNIX;
    const auto parsed = parseInetDiagMessage(bytesOf(withHeader(m_bare, message)));
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().errnum, EAFNOSUPPORT);
}

void TestDiagParser::ipv6Addresses()
{
    inet_diag_msg message = headerOf(m_bare);
    message.idiag_family = AF_INET6;
    std::memcpy(message.id.idiag_src, &in6addr_loopback, sizeof in6addr_loopback);
    const in6_addr mapped = {{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1}}};
    std::memcpy(message.id.idiag_dst, &mapped, sizeof mapped);
    const auto parsed = parseInetDiagMessage(bytesOf(withHeader(m_bare, message)));
    QVERIFY(parsed);
    QCOMPARE(parsed->family, Family::IPv6);
    QCOMPARE(parsed->local.addressText(Family::IPv6), QStringLiteral("::1"));
    QCOMPARE(parsed->remote.addressText(Family::IPv6), QStringLiteral("::ffff:192.0.2.1"));
}

void TestDiagParser::dumpBuffer_data()
{
    QTest::addColumn<QByteArray>("buffer");
    QTest::addColumn<unsigned>("sequence");
    QTest::addColumn<unsigned>("portId");
    QTest::addColumn<int>("errnum"); // 0: success
    QTest::addColumn<DumpProgress>("progress");
    QTest::addColumn<int>("records");

    const QByteArray record = netlinkMessage(SOCK_DIAG_BY_FAMILY, m_established, NLM_F_MULTI);
    const QByteArray done = netlinkMessage(NLMSG_DONE, intPayload(0), NLM_F_MULTI);
    const auto row = [&](const char *name, const QByteArray &buffer, int errnum,
                         DumpProgress progress, int records) {
        QTest::newRow(name) << buffer << kSequence << kPortId << errnum << progress << records;
    };
    row("records, more to come", record + record, 0, DumpProgress::More, 2);
    row("records then done", record + done, 0, DumpProgress::Done, 1);
    row("done with error status", record + netlinkMessage(NLMSG_DONE, intPayload(-ENOMEM)), ENOMEM,
        DumpProgress::Done, 1);
    row("done without payload", netlinkMessage(NLMSG_DONE, {}), 0, DumpProgress::Done, 0);
    row("error", netlinkMessage(NLMSG_ERROR, intPayload(-EACCES)), EACCES, DumpProgress::Done, 0);
    row("acknowledgement", netlinkMessage(NLMSG_ERROR, intPayload(0)), 0, DumpProgress::Done, 0);
    row("error without code", netlinkMessage(NLMSG_ERROR, {}), EBADMSG, DumpProgress::Done, 0);
    row("dump interrupted",
        record + netlinkMessage(SOCK_DIAG_BY_FAMILY, m_established, NLM_F_MULTI | NLM_F_DUMP_INTR),
        0, DumpProgress::Interrupted, 1);
    row("truncated nlmsghdr", record + record.left(10), EBADMSG, DumpProgress::Done, 0);
    row("nlmsg_len past the buffer",
        netlinkMessage(SOCK_DIAG_BY_FAMILY, m_established, 0, kSequence, kPortId, 4096), EBADMSG,
        DumpProgress::Done, 0);
    row("nlmsg_len below its header",
        netlinkMessage(SOCK_DIAG_BY_FAMILY, m_established, 0, kSequence, kPortId, 8), EBADMSG,
        DumpProgress::Done, 0);
    row("wrong sequence", netlinkMessage(SOCK_DIAG_BY_FAMILY, m_established, 0, kSequence + 1),
        EPROTO, DumpProgress::Done, 0);
    row("wrong port id",
        netlinkMessage(SOCK_DIAG_BY_FAMILY, m_established, 0, kSequence, kPortId + 1), ESRCH,
        DumpProgress::Done, 0);
    row("malformed payload", record + netlinkMessage(SOCK_DIAG_BY_FAMILY, m_bare.left(40)), EBADMSG,
        DumpProgress::Done, 1);
    row("other types skipped", netlinkMessage(99, QByteArray(8, '\0')) + record, 0,
        DumpProgress::More, 1);
    row("noop skipped", netlinkMessage(NLMSG_NOOP, {}) + done, 0, DumpProgress::Done, 0);
    QTest::newRow("notification: no sequence, no port id")
        << netlinkMessage(SOCK_DIAG_BY_FAMILY, m_established, 0, 0, 0) << 0u << 0u << 0
        << DumpProgress::More << 1;
}

void TestDiagParser::dumpBuffer()
{
    QFETCH(QByteArray, buffer);
    QFETCH(unsigned, sequence);
    QFETCH(unsigned, portId);
    QFETCH(int, errnum);
    QFETCH(DumpProgress, progress);
    QFETCH(int, records);
    std::vector<SocketRecord> out;
    const auto result = parseDumpBuffer(bytesOf(buffer), sequence, portId, out);
    if (errnum != 0) {
        QVERIFY(!result);
        QCOMPARE(result.error().errnum, errnum);
        QVERIFY(!result.error().message.isEmpty());
    } else {
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QCOMPARE(*result, progress);
    }
    QCOMPARE(int(out.size()), records);
    for (const SocketRecord &socket : out)
        QCOMPARE(socket.local.port, m_clientPort);
}

SOCKSCOPE_TEST_MAIN_NETNS(TestDiagParser, QCoreApplication)
#include "tst_diagparser.moc"
