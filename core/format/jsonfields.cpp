// SPDX-License-Identifier: GPL-3.0-or-later
#include "format/jsonfields.h"

#include "util/quotedvalue.h"

#include <arpa/inet.h>
#include <climits>
#include <QJsonDocument>
#include <sys/socket.h>

namespace sockscope {

QByteArray jsonLine(const QJsonObject &object)
{
    QByteArray text = QJsonDocument(object).toJson(QJsonDocument::Compact);
    text += '\n';
    return text;
}

QJsonValue wideJson(std::int64_t value)
{
    return QString::number(value);
}

QJsonValue JsonFieldReader::field(const QJsonObject &object, const char *key)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (value.isUndefined())
        fail(QStringLiteral("no \"%1\"").arg(QLatin1String(key)));
    return value;
}
QJsonObject JsonFieldReader::object(const QJsonObject &object, const char *key)
{
    const QJsonValue value = field(object, key);
    if (!value.isObject())
        fail(QStringLiteral("\"%1\" is not an object").arg(QLatin1String(key)));
    return value.toObject();
}
QJsonArray JsonFieldReader::array(const QJsonObject &object, const char *key)
{
    const QJsonValue value = field(object, key);
    if (!value.isArray())
        fail(QStringLiteral("\"%1\" is not an array").arg(QLatin1String(key)));
    return value.toArray();
}
QString JsonFieldReader::text(const QJsonObject &object, const char *key)
{
    const QJsonValue value = field(object, key);
    if (!value.isString())
        fail(QStringLiteral("\"%1\" is not a string").arg(QLatin1String(key)));
    return value.toString();
}
bool JsonFieldReader::flag(const QJsonObject &object, const char *key)
{
    const QJsonValue value = field(object, key);
    if (!value.isBool())
        fail(QStringLiteral("\"%1\" is not true or false").arg(QLatin1String(key)));
    return value.toBool();
}
qint64 JsonFieldReader::integer(const QJsonValue &value, const char *key, qint64 minimum,
                                qint64 maximum)
{
    bool ok = false;
    qint64 number = 0;
    if (value.isString())
        number = value.toString().toLongLong(&ok);
    else if (value.isDouble() && value.toDouble() == double(value.toInteger()))
        number = value.toInteger(), ok = true;
    if (!ok || number < minimum || number > maximum) {
        fail(QStringLiteral("\"%1\" is not a whole number from %2 to %3")
                 .arg(QLatin1String(key))
                 .arg(minimum)
                 .arg(maximum));
        return minimum;
    }
    return number;
}
qint64 JsonFieldReader::integer(const QJsonObject &object, const char *key, qint64 minimum,
                                qint64 maximum)
{
    return integer(field(object, key), key, minimum, maximum);
}
std::uint64_t JsonFieldReader::cookie(const QJsonObject &object)
{
    bool ok = false;
    const std::uint64_t value = text(object, "cookie").toULongLong(&ok);
    if (!ok)
        fail(QStringLiteral("\"cookie\" is not a decimal number"));
    return value;
}
void JsonFieldReader::fail(const QString &what)
{
    if (problem.isEmpty())
        problem = what;
}

Endpoint JsonFieldReader::endpoint(const QJsonObject &object, const char *address, const char *port,
                                   Family family)
{
    Endpoint endpoint;
    const QByteArray text = this->text(object, address).toLatin1();
    if (inet_pton(family == Family::IPv4 ? AF_INET : AF_INET6, text.constData(),
                  endpoint.address.data()) != 1)
        fail(QStringLiteral("\"%1\" is not an address").arg(QLatin1String(address)));
    endpoint.port = static_cast<std::uint16_t>(integer(object, port, 0, 65535));
    return endpoint;
}

void JsonFieldReader::socket(const QJsonObject &json, SocketRecord &record, OwnerLookup &owner)
{
    record.family = named<Family>(text(json, "family"), "family", 2, familyCName);
    record.state = named<TcpState>(text(json, "state"), "state", kTcpStateCount, tcpStateCName);
    record.local = endpoint(json, "local_address", "local_port", record.family);
    record.remote = endpoint(json, "remote_address", "remote_port", record.family);
    constexpr qint64 u32 = 0xffffffffLL;
    record.recvQ = static_cast<std::uint32_t>(integer(json, "recv_q", 0, u32));
    record.sendQ = static_cast<std::uint32_t>(integer(json, "send_q", 0, u32));
    record.timer = named<TimerKind>(text(json, "timer"), "timer", 5, timerKindCName);
    record.expiresMs = static_cast<std::uint32_t>(integer(json, "expires_ms", 0, u32));
    record.retrans = static_cast<std::uint8_t>(integer(json, "retrans", 0, 255));
    record.uid = static_cast<std::uint32_t>(integer(json, "uid", 0, u32));
    record.inode = static_cast<std::uint32_t>(integer(json, "inode", 0, u32));
    record.cookie = cookie(json);
    if (json.contains(QLatin1String("rtt_us"))) {
        TcpInfoSummary info;
        info.rttUs = static_cast<std::uint32_t>(integer(json, "rtt_us", 0, u32));
        info.rttVarUs = static_cast<std::uint32_t>(integer(json, "rttvar_us", 0, u32));
        info.sendCwnd = static_cast<std::uint32_t>(integer(json, "cwnd", 0, u32));
        info.bytesAcked = static_cast<std::uint64_t>(integer(json, "bytes_acked"));
        info.bytesReceived = static_cast<std::uint64_t>(integer(json, "bytes_received"));
        record.info = info;
    }
    owner.ownership = named<Ownership>(text(json, "owner"), "owner", 3, ownershipCName);
    for (const QJsonValue &value : array(json, "owners")) {
        const QJsonObject process = value.toObject();
        owner.owners.append({static_cast<int>(integer(process, "pid", 0, INT_MAX)),
                             static_cast<int>(integer(process, "fd", -1, INT_MAX)),
                             text(process, "command")});
    }
}

void JsonFieldReader::failUnknown(const char *key, const QString &text)
{
    fail(QStringLiteral("unknown %1 %2").arg(QLatin1String(key), quotedValue(text)));
}

} // namespace sockscope
