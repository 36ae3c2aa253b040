// SPDX-License-Identifier: GPL-3.0-or-later
// Both JSON writers of a socket (core/format/socketjson.h) on records built
// from the input: each output must parse as JSON and give back every field.
#include "format/socketjson.h"
#include "fuzzbytes.h"
#include "fuzzcheck.h"

#include <arpa/inet.h>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <sys/socket.h>

using namespace sockscope;

namespace {

// Only values the decoders can produce: the kernel's states, zeroed IPv4 tails,
// commands decoded from /proc's bytes.
SocketRecord recordFrom(FuzzBytes &in)
{
    SocketRecord record;
    record.family = in.take<std::uint8_t>() & 1 ? Family::IPv6 : Family::IPv4;
    record.state = tcpStateFromKernel(in.take<std::uint8_t>());
    record.timer = static_cast<TimerKind>(in.take<std::uint8_t>() % 5);
    record.retrans = in.take<std::uint8_t>();
    for (Endpoint *endpoint : {&record.local, &record.remote}) {
        endpoint->address = in.take<std::array<std::uint8_t, 16>>();
        if (record.family == Family::IPv4)
            std::fill(endpoint->address.begin() + 4, endpoint->address.end(), 0);
        endpoint->port = in.take<std::uint16_t>();
    }
    record.recvQ = in.take<std::uint32_t>();
    record.sendQ = in.take<std::uint32_t>();
    record.expiresMs = in.take<std::uint32_t>();
    record.uid = in.take<std::uint32_t>();
    record.inode = in.take<std::uint32_t>();
    record.cookie = in.take<std::uint64_t>();
    if (in.take<std::uint8_t>() & 1)
        record.info = in.take<TcpInfoSummary>();
    return record;
}

OwnerLookup ownerFrom(FuzzBytes &in)
{
    OwnerLookup owner;
    owner.ownership = static_cast<Ownership>(in.take<std::uint8_t>() % 3);
    for (int count = in.take<std::uint8_t>() % 4; count > 0; --count)
        owner.owners.append({in.take<int>(), in.take<int>(), QString::fromUtf8(in.takeBytes(64))});
    return owner;
}

void checkNumber(const QJsonObject &json, const char *key, std::uint64_t expected)
{
    const QJsonValue value = json.value(QLatin1String(key));
    // Above 2^63 a JSON reader has only a double (QJsonValue, JavaScript): exact below.
    const bool same = expected <= std::uint64_t(std::numeric_limits<qint64>::max())
                          ? value.isDouble() && value.toInteger(-1) == qint64(expected)
                          : value.toDouble() == double(expected);
    fuzzCheck(same, QStringLiteral("%1: %2 written for %3")
                        .arg(QLatin1String(key),
                             QString::fromUtf8(
                                 QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)))
                        .arg(expected));
}

void checkText(const QJsonObject &json, const char *key, const QString &expected)
{
    const QString written = json.value(QLatin1String(key)).toString();
    fuzzCheck(
        written == expected,
        QStringLiteral("%1: '%2' written for '%3'").arg(QLatin1String(key), written, expected));
}

void checkAddress(const QJsonObject &json, const char *key, const SocketRecord &record,
                  const Endpoint &endpoint)
{
    std::array<std::uint8_t, 16> parsed{};
    const QByteArray text = json.value(QLatin1String(key)).toString().toLatin1();
    const int family = record.family == Family::IPv4 ? AF_INET : AF_INET6;
    fuzzCheck(inet_pton(family, text.constData(), parsed.data()) == 1 && parsed == endpoint.address,
              QStringLiteral("%1: '%2' does not read back")
                  .arg(QLatin1String(key), QString::fromLatin1(text)));
}

void checkSocket(const QJsonObject &json, const SocketRecord &record, const OwnerLookup *owner)
{
    checkText(json, "family", familyName(record.family));
    checkText(json, "state", tcpStateName(record.state));
    checkText(json, "timer", timerKindName(record.timer));
    checkAddress(json, "local_address", record, record.local);
    checkAddress(json, "remote_address", record, record.remote);
    checkNumber(json, "local_port", record.local.port);
    checkNumber(json, "remote_port", record.remote.port);
    checkNumber(json, "recv_q", record.recvQ);
    checkNumber(json, "send_q", record.sendQ);
    checkNumber(json, "expires_ms", record.expiresMs);
    checkNumber(json, "retrans", record.retrans);
    checkNumber(json, "uid", record.uid);
    checkNumber(json, "inode", record.inode);
    checkText(json, "cookie", QString::number(record.cookie));
    fuzzCheck(json.contains(QLatin1String("rtt_us")) == record.info.has_value(),
              QStringLiteral("tcp_info keys without tcp_info, or the reverse"));
    if (record.info) {
        checkNumber(json, "rtt_us", record.info->rttUs);
        checkNumber(json, "rttvar_us", record.info->rttVarUs);
        checkNumber(json, "cwnd", record.info->sendCwnd);
        checkNumber(json, "bytes_acked", record.info->bytesAcked);
        checkNumber(json, "bytes_received", record.info->bytesReceived);
    }
    fuzzCheck(json.contains(QLatin1String("owners")) == (owner != nullptr),
              QStringLiteral("owners written without an owner lookup, or the reverse"));
    if (!owner)
        return;
    checkText(json, "owner", ownershipName(owner->ownership));
    const QJsonArray owners = json.value(QLatin1String("owners")).toArray();
    fuzzCheck(owners.size() == owner->owners.size(), QStringLiteral("owners: wrong count"));
    for (qsizetype i = 0; i < owners.size(); ++i) {
        const QJsonObject process = owners[i].toObject();
        const OwnerProcess &expected = owner->owners[i];
        fuzzCheck(
            process.value(QLatin1String("pid")).toInteger(-2) == expected.pid &&
                process.value(QLatin1String("fd")).toInteger(-2) == expected.fd,
            QStringLiteral("owners[%1]: pid %2 fd %3 written as %4")
                .arg(i)
                .arg(expected.pid)
                .arg(expected.fd)
                .arg(QString::fromUtf8(QJsonDocument(process).toJson(QJsonDocument::Compact))));
        checkText(process, "command", expected.command);
    }
}

QJsonObject parsedObject(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    fuzzCheck(
        error.error == QJsonParseError::NoError && document.isObject(),
        QStringLiteral("invalid JSON (%1): %2").arg(error.errorString(), QString::fromUtf8(text)));
    return document.object();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    FuzzBytes in(data, size);
    const SocketRecord record = recordFrom(in);
    const OwnerLookup owner = ownerFrom(in);

    QByteArray text;
    appendSocketJson(text, record, &owner);
    checkSocket(parsedObject(text), record, &owner);
    text.clear();
    appendSocketJson(text, record, nullptr);
    checkSocket(parsedObject(text), record, nullptr);

    const QByteArray viaQt = QJsonDocument(socketToJson(record, owner)).toJson();
    checkSocket(parsedObject(viaQt), record, &owner);
    return 0;
}
