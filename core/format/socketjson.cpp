// SPDX-License-Identifier: GPL-3.0-or-later
#include "format/socketjson.h"

#include <QJsonArray>

namespace sockscope {

QJsonObject socketToJson(const SocketRecord &socket, const OwnerLookup &owner)
{
    QJsonArray owners;
    for (const OwnerProcess &process : owner.owners) {
        owners.append(QJsonObject{{QStringLiteral("pid"), process.pid},
                                  {QStringLiteral("fd"), process.fd},
                                  {QStringLiteral("command"), process.command}});
    }
    QJsonObject object{
        {QStringLiteral("family"), familyName(socket.family)},
        {QStringLiteral("state"), tcpStateName(socket.state)},
        {QStringLiteral("local_address"), socket.local.addressText(socket.family)},
        {QStringLiteral("local_port"), socket.local.port},
        {QStringLiteral("remote_address"), socket.remote.addressText(socket.family)},
        {QStringLiteral("remote_port"), socket.remote.port},
        {QStringLiteral("recv_q"), static_cast<qint64>(socket.recvQ)},
        {QStringLiteral("send_q"), static_cast<qint64>(socket.sendQ)},
        {QStringLiteral("timer"), timerKindName(socket.timer)},
        {QStringLiteral("expires_ms"), static_cast<qint64>(socket.expiresMs)},
        {QStringLiteral("retrans"), socket.retrans},
        {QStringLiteral("uid"), static_cast<qint64>(socket.uid)},
        {QStringLiteral("inode"), static_cast<qint64>(socket.inode)},
        // A decimal string: 64-bit cookies do not survive JSON's doubles.
        {QStringLiteral("cookie"), QString::number(socket.cookie)},
        {QStringLiteral("owner"), ownershipName(owner.ownership)},
        {QStringLiteral("owners"), owners},
    };
    if (socket.info) {
        object.insert(QStringLiteral("rtt_us"), static_cast<qint64>(socket.info->rttUs));
        object.insert(QStringLiteral("rttvar_us"), static_cast<qint64>(socket.info->rttVarUs));
        object.insert(QStringLiteral("cwnd"), static_cast<qint64>(socket.info->sendCwnd));
        object.insert(QStringLiteral("bytes_acked"), static_cast<qint64>(socket.info->bytesAcked));
        object.insert(QStringLiteral("bytes_received"),
                      static_cast<qint64>(socket.info->bytesReceived));
    }
    return object;
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
