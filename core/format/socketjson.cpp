// SPDX-License-Identifier: GPL-3.0-or-later
#include "format/socketjson.h"

#include <cstdio>
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

void appendSocketJson(QByteArray &out, const SocketRecord &socket, const OwnerLookup &owner)
{
    out += '{';
    appendKey(out, "family");
    appendString(out, familyName(socket.family));
    out += ',';
    appendKey(out, "state");
    appendString(out, tcpStateName(socket.state));
    out += ',';
    appendKey(out, "local_address");
    appendString(out, socket.local.addressText(socket.family));
    out += ',';
    appendNumber(out, "local_port", socket.local.port);
    appendKey(out, "remote_address");
    appendString(out, socket.remote.addressText(socket.family));
    out += ',';
    appendNumber(out, "remote_port", socket.remote.port);
    appendNumber(out, "recv_q", socket.recvQ);
    appendNumber(out, "send_q", socket.sendQ);
    appendKey(out, "timer");
    appendString(out, timerKindName(socket.timer));
    out += ',';
    appendNumber(out, "expires_ms", socket.expiresMs);
    appendNumber(out, "retrans", socket.retrans);
    appendNumber(out, "uid", socket.uid);
    appendNumber(out, "inode", socket.inode);
    // A decimal string: 64-bit cookies do not survive JSON's doubles.
    appendKey(out, "cookie");
    out += '"' + QByteArray::number(static_cast<qulonglong>(socket.cookie)) + "\",";
    if (socket.info) {
        appendNumber(out, "rtt_us", socket.info->rttUs);
        appendNumber(out, "rttvar_us", socket.info->rttVarUs);
        appendNumber(out, "cwnd", socket.info->sendCwnd);
        appendNumber(out, "bytes_acked", socket.info->bytesAcked);
        appendNumber(out, "bytes_received", socket.info->bytesReceived);
    }
    appendKey(out, "owner");
    appendString(out, ownershipName(owner.ownership));
    out += ',';
    appendKey(out, "owners");
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
    out += "]}";
}

QJsonObject socketToJson(const SocketRecord &socket, const OwnerLookup &owner)
{
    QByteArray text;
    appendSocketJson(text, socket, owner);
    return QJsonDocument::fromJson(text).object();
}

QJsonObject eventToJson(const SocketEvent &event)
{
    const ConnectionView &view = event.connection;
    QJsonObject object = socketToJson(view.socket, view.owner);
    object.insert(QStringLiteral("time_ms"), static_cast<qint64>(event.timeMs));
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
    return object;
}

} // namespace sockscope
