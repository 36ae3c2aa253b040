// SPDX-License-Identifier: GPL-3.0-or-later
#include "format/socketjson.h"

#include <cstdio>
#include <limits>
#include <QJsonArray>
#include <QJsonDocument>

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

void appendNumber(QByteArray &out, const char *key, qulonglong value)
{
    appendKey(out, key);
    out += QByteArray::number(value);
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
                         QString (*get)(const SocketRecord &, const OwnerLookup &)) {
    return Key{name, Key::Type::Text, false, get, nullptr};
};
constexpr auto number = [](const char *name,
                           qulonglong (*get)(const SocketRecord &, const OwnerLookup &),
                           bool tcpInfo = false) {
    return Key{name, Key::Type::Number, tcpInfo, nullptr, get};
};

// The order is the order of `dump --json`.
const Key kKeys[] = {
    text("family", [](const SocketRecord &s, const OwnerLookup &) { return familyName(s.family); }),
    text("state", [](const SocketRecord &s, const OwnerLookup &) { return tcpStateName(s.state); }),
    text("local_address",
         [](const SocketRecord &s, const OwnerLookup &) { return s.local.addressText(s.family); }),
    number("local_port",
           [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.local.port; }),
    text("remote_address",
         [](const SocketRecord &s, const OwnerLookup &) { return s.remote.addressText(s.family); }),
    number("remote_port",
           [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.remote.port; }),
    number("recv_q",
           [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.recvQ; }),
    number("send_q",
           [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.sendQ; }),
    text("timer",
         [](const SocketRecord &s, const OwnerLookup &) { return timerKindName(s.timer); }),
    number("expires_ms",
           [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.expiresMs; }),
    number("retrans",
           [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.retrans; }),
    number("uid", [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.uid; }),
    number("inode",
           [](const SocketRecord &s, const OwnerLookup &) -> qulonglong { return s.inode; }),
    // A decimal string: 64-bit cookies do not survive JSON's doubles.
    text("cookie",
         [](const SocketRecord &s, const OwnerLookup &) {
             return QString::number(static_cast<qulonglong>(s.cookie));
         }),
    number("rtt_us", rttUs, true),
    number("rttvar_us", rttVarUs, true),
    number("cwnd", sendCwnd, true),
    number("bytes_acked", bytesAcked, true),
    number("bytes_received", bytesReceived, true),
    text("owner",
         [](const SocketRecord &, const OwnerLookup &o) { return ownershipName(o.ownership); }),
    Key{"owners", Key::Type::Owners, false, nullptr, nullptr},
};

bool present(const Key &key, const SocketRecord &socket)
{
    return !key.tcpInfo || socket.info.has_value();
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

void appendSocketJson(QByteArray &out, const SocketRecord &socket, const OwnerLookup &owner)
{
    out += '{';
    bool first = true;
    for (const Key &key : kKeys) {
        if (!present(key, socket))
            continue;
        if (!first)
            out += ',';
        first = false;
        appendKey(out, key.name);
        switch (key.type) {
        case Key::Type::Text:
            appendString(out, key.text(socket, owner));
            break;
        case Key::Type::Number:
            out += QByteArray::number(key.number(socket, owner));
            break;
        case Key::Type::Owners:
            out += '[';
            for (qsizetype i = 0; i < owner.owners.size(); ++i) {
                const OwnerProcess &process = owner.owners[i];
                out += i == 0 ? "{" : ",{";
                appendNumber(out, "pid", static_cast<qulonglong>(process.pid));
                appendNumber(out, "fd", static_cast<qulonglong>(process.fd));
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
        if (!present(key, socket))
            continue;
        const QString name = QLatin1String(key.name);
        switch (key.type) {
        case Key::Type::Text:
            object.insert(name, key.text(socket, owner));
            break;
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
