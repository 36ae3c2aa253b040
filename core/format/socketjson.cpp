// SPDX-License-Identifier: GPL-3.0-or-later
#include "format/socketjson.h"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>
#include <QJsonArray>
#include <QJsonDocument>
#include <string_view>

namespace sockscope {

namespace {
void appendString(QByteArray &out, const QString &text)
{
    out += '"';
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        switch (u) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (u < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(u));
                out += escaped;
            } else if (u < 0x80) {
                out += static_cast<char>(u);
            } else {
                out += QString(c).toUtf8();
            }
        }
    }
    out += '"';
}

// Surrogate pairs must be encoded together: QString(c) of a lone half is invalid UTF-8.
void appendText(QByteArray &out, const QString &text)
{
    bool plain = true;
    for (const QChar c : text)
        plain = plain && !c.isSurrogate();
    if (plain) {
        appendString(out, text);
        return;
    }
    QJsonDocument wrapper(QJsonArray{text});
    const QByteArray encoded = wrapper.toJson(QJsonDocument::Compact);
    out += encoded.mid(1, encoded.size() - 2);
}

void appendKey(QByteArray &out, const char *key)
{
    out += '"';
    out += key;
    out += "\":";
}

void appendDigits(QByteArray &out, qulonglong value)
{
    char digits[24];
    const char *end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end - digits);
}

// Signed: an owner's pid and fd (-1 when unknown) as socketToJson writes them.
void appendNumber(QByteArray &out, const char *key, qlonglong value)
{
    appendKey(out, key);
    char digits[24];
    const char *end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out.append(digits, end - digits);
    out += ',';
}
} // namespace

namespace {
using Key = SocketJsonKey;

qulonglong rttUs(const SocketRecord &s, const OwnerLookup &)
{
    return s.info->rttUs;
}
qulonglong rttVarUs(const SocketRecord &s, const OwnerLookup &)
{
    return s.info->rttVarUs;
}
qulonglong sendCwnd(const SocketRecord &s, const OwnerLookup &)
{
    return s.info->sendCwnd;
}
qulonglong bytesAcked(const SocketRecord &s, const OwnerLookup &)
{
    return s.info->bytesAcked;
}
qulonglong bytesReceived(const SocketRecord &s, const OwnerLookup &)
{
    return s.info->bytesReceived;
}

constexpr auto text = [](const char *name,
                         std::size_t (*get)(char *, const SocketRecord &, const OwnerLookup &)) {
    return Key{name, Key::Type::Text, false, get, nullptr, std::string_view(name) == "owner"};
};

std::size_t copy(char *out, const char *text)
{
    const std::size_t length = std::strlen(text);
    std::memcpy(out, text, length);
    return length;
}
constexpr auto number = [](const char *name,
                           qulonglong (*get)(const SocketRecord &, const OwnerLookup &),
                           bool tcpInfo = false) {
    return Key{name, Key::Type::Number, tcpInfo, nullptr, get};
};

// The order is the order of `dump --json`.
const Key kKeys[] = {
    text("family", [](char *out, const SocketRecord &s,
                      const OwnerLookup &) { return copy(out, familyCName(s.family)); }),
    text("state", [](char *out, const SocketRecord &s,
                     const OwnerLookup &) { return copy(out, tcpStateCName(s.state)); }),
    text("local_address", [](char *out, const SocketRecord &s,
                             const OwnerLookup &) { return s.local.writeAddress(s.family, out); }),
    number("local_port",
           [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.local.port; }),
    text("remote_address",
         [](char *out, const SocketRecord &s, const OwnerLookup &) {
             return s.remote.writeAddress(s.family, out);
         }),
    number("remote_port",
           [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.remote.port; }),
    number("recv_q",
           [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.recvQ; }),
    number("send_q",
           [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.sendQ; }),
    text("timer", [](char *out, const SocketRecord &s,
                     const OwnerLookup &) { return copy(out, timerKindCName(s.timer)); }),
    number("expires_ms",
           [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.expiresMs; }),
    number("retrans",
           [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.retrans; }),
    number("uid", [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.uid; }),
    number("inode",
           [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.inode; }),
    // A decimal string: 64-bit cookies do not survive JSON's doubles.
    text("cookie",
         [](char *out, const SocketRecord &s, const OwnerLookup &) {
             return static_cast<std::size_t>(std::to_chars(out, out + 24, s.cookie).ptr - out);
         }),
    number("rtt_us", rttUs, true),
    number("rttvar_us", rttVarUs, true),
    number("cwnd", sendCwnd, true),
    number("bytes_acked", bytesAcked, true),
    number("bytes_received", bytesReceived, true),
    text("owner", [](char *out, const SocketRecord &,
                     const OwnerLookup &o) { return copy(out, ownershipCName(o.ownership)); }),
    Key{"owners", Key::Type::Owners, false, nullptr, nullptr, true},
};

bool present(const Key &key, const SocketRecord &socket, const OwnerLookup *owner)
{
    return (!key.tcpInfo || socket.info.has_value()) && (!key.owner || owner);
}

QJsonValue numberValue(qulonglong value)
{
    if (value <= static_cast<qulonglong>(std::numeric_limits<qint64>::max()))
        return static_cast<qint64>(value);
    return static_cast<double>(value);
}
} // namespace

std::span<const SocketJsonKey> socketJsonKeys()
{
    return kKeys;
}

void appendSocketJson(QByteArray &out, const SocketRecord &socket, const OwnerLookup *ownerOrNull)
{
    static const OwnerLookup kNone;
    const OwnerLookup &owner = ownerOrNull ? *ownerOrNull : kNone;
    out += '{';
    bool first = true;
    for (const Key &key : kKeys) {
        if (!present(key, socket, ownerOrNull))
            continue;
        if (!first)
            out += ',';
        first = false;
        appendKey(out, key.name);
        switch (key.type) {
        case Key::Type::Text: {
            char text[SocketJsonKey::kTextMax];
            out += '"';
            out.append(text, static_cast<qsizetype>(key.text(text, socket, owner)));
            out += '"';
            break;
        }
        case Key::Type::Number:
            appendDigits(out, key.number(socket, owner));
            break;
        case Key::Type::Owners:
            out += '[';
            for (qsizetype i = 0; i < owner.owners.size(); ++i) {
                const OwnerProcess &process = owner.owners[i];
                out += i == 0 ? "{" : ",{";
                appendNumber(out, "pid", process.pid);
                appendNumber(out, "fd", process.fd);
                appendKey(out, "command");
                appendText(out, process.command);
                out += '}';
            }
            out += ']';
            break;
        }
    }
    out += '}';
}

QJsonObject socketToJson(const SocketRecord &socket, const OwnerLookup &owner)
{
    QJsonObject object;
    for (const Key &key : kKeys) {
        if (!present(key, socket, &owner))
            continue;
        const QString name = QLatin1String(key.name);
        switch (key.type) {
        case Key::Type::Text: {
            char text[SocketJsonKey::kTextMax];
            object.insert(name, QString::fromLatin1(
                                    text, static_cast<qsizetype>(key.text(text, socket, owner))));
            break;
        }
        case Key::Type::Number:
            object.insert(name, numberValue(key.number(socket, owner)));
            break;
        case Key::Type::Owners: {
            QJsonArray owners;
            for (const OwnerProcess &process : owner.owners)
                owners.append(QJsonObject{{QStringLiteral("pid"), process.pid},
                                          {QStringLiteral("fd"), process.fd},
                                          {QStringLiteral("command"), process.command}});
            object.insert(name, owners);
            break;
        }
        }
    }
    return object;
}

QJsonObject eventToJson(const SocketEvent &event)
{
    const ConnectionView &view = event.connection;
    QJsonObject object = socketToJson(view.socket, view.owner);
    object.insert(QStringLiteral("time_ms"), static_cast<qint64>(event.timeMs));
    object.insert(QStringLiteral("time_ns"), static_cast<qint64>(event.timeNs));
    object.insert(QStringLiteral("event"), eventKindName(event.kind));
    object.insert(QStringLiteral("from"), event.kind == EventKind::Appeared
                                              ? QJsonValue(QJsonValue::Null)
                                              : QJsonValue(tcpStateName(event.from)));
    object.insert(QStringLiteral("to"), event.kind == EventKind::Gone
                                            ? QJsonValue(QJsonValue::Null)
                                            : QJsonValue(tcpStateName(event.to)));
    object.insert(QStringLiteral("source"), eventSourceName(event.source));
    object.insert(QStringLiteral("connection_id"), static_cast<qint64>(view.id));
    object.insert(QStringLiteral("initial"), event.initial);
    if (event.pid > 0) {
        object.insert(QStringLiteral("by_pid"), event.pid);
        object.insert(QStringLiteral("by_command"), event.command);
    }
    object.insert(QStringLiteral("time_in_state_ms"),
                  static_cast<qint64>(event.timeMs - view.stateSinceMs));
    return object;
}

} // namespace sockscope
