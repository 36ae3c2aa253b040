// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "owners/ownerinfo.h"

#include <cstdint>
#include <limits>
#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace sockscope {

// The JSON lines SockScope writes and reads back (the agent protocol, its
// lab lines): one object a line, compact, newline included.
QByteArray jsonLine(const QJsonObject &object);

// 64-bit values (times in ns, ids, cookies) as decimal strings: JSON numbers
// are doubles to most readers.
QJsonValue wideJson(std::int64_t value);

// Reading: every getter records the first missing or mistyped field; the
// caller turns it into one Error naming the line.
class JsonFieldReader
{
public:
    QString problem;

    QJsonValue field(const QJsonObject &object, const char *key);
    QJsonObject object(const QJsonObject &object, const char *key);
    QJsonArray array(const QJsonObject &object, const char *key);
    QString text(const QJsonObject &object, const char *key);
    bool flag(const QJsonObject &object, const char *key);
    qint64 integer(const QJsonValue &value, const char *key, qint64 minimum, qint64 maximum);
    qint64 integer(const QJsonObject &object, const char *key, qint64 minimum = 0,
                   qint64 maximum = std::numeric_limits<qint64>::max());
    std::uint64_t cookie(const QJsonObject &object);
    void fail(const QString &what);

    // A name among `count` values, as written by `name`.
    template <typename Enum, typename NameOf>
    Enum named(const QString &text, const char *key, int count, NameOf name)
    {
        for (int i = 0; i < count; ++i) {
            if (text == QString(name(static_cast<Enum>(i))))
                return static_cast<Enum>(i);
        }
        failUnknown(key, text);
        return static_cast<Enum>(0);
    }

    Endpoint endpoint(const QJsonObject &object, const char *address, const char *port,
                      Family family);
    // A socket as socketToJson writes it, with its owners.
    void socket(const QJsonObject &json, SocketRecord &record, OwnerLookup &owner);

private:
    void failUnknown(const char *key, const QString &text);
};

} // namespace sockscope
