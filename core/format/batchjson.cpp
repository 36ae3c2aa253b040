// SPDX-License-Identifier: GPL-3.0-or-later
#include "format/batchjson.h"

#include "format/socketjson.h"
#include "util/quotedvalue.h"

#include <arpa/inet.h>
#include <cerrno>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <sys/socket.h>

namespace sockscope {

namespace {

QByteArray line(const QJsonObject &object)
{
    QByteArray text = QJsonDocument(object).toJson(QJsonDocument::Compact);
    text += '\n';
    return text;
}

// 64-bit values (times in ns, ids, cookies) as decimal strings: JSON numbers
// are doubles to most readers.
QJsonValue wide(std::int64_t value)
{
    return QString::number(value);
}

QJsonObject viewToJson(const ConnectionView &view)
{
    QJsonArray history;
    for (const StateSpan &span : view.history)
        history.append(
            QJsonArray{static_cast<int>(span.state), wide(span.enteredMs), wide(span.leftMs)});
    return QJsonObject{{QStringLiteral("id"), wide(static_cast<std::int64_t>(view.id))},
                       {QStringLiteral("socket"), socketToJson(view.socket, view.owner)},
                       {QStringLiteral("first_seen_ms"), wide(view.firstSeenMs)},
                       {QStringLiteral("state_since_ms"), wide(view.stateSinceMs)},
                       {QStringLiteral("since_is_lower_bound"), view.stateSinceIsLowerBound},
                       {QStringLiteral("history"), history}};
}

QJsonObject eventToAgentJson(const SocketEvent &event)
{
    return QJsonObject{{QStringLiteral("time_ns"), wide(event.timeNs)},
                       {QStringLiteral("time_ms"), wide(event.timeMs)},
                       {QStringLiteral("event"), eventKindName(event.kind)},
                       {QStringLiteral("source"), eventSourceName(event.source)},
                       {QStringLiteral("from"), static_cast<int>(event.from)},
                       {QStringLiteral("to"), static_cast<int>(event.to)},
                       {QStringLiteral("initial"), event.initial},
                       {QStringLiteral("by_pid"), event.pid},
                       {QStringLiteral("by_command"), event.command},
                       {QStringLiteral("connection"), viewToJson(event.connection)}};
}

QJsonObject statsToJson(const PollStats &stats)
{
    return QJsonObject{{QStringLiteral("poll"), stats.pollNumber},
                       {QStringLiteral("sockets"), stats.socketCount},
                       {QStringLiteral("dump_us"), wide(stats.dumpUs)},
                       {QStringLiteral("owners_us"), wide(stats.ownersUs)},
                       {QStringLiteral("total_us"), wide(stats.totalUs)},
                       {QStringLiteral("owners_complete"), stats.ownersComplete},
                       {QStringLiteral("tracing"), stats.tracing},
                       {QStringLiteral("trace_notice"), stats.traceNotice},
                       {QStringLiteral("trace_events"), wide(qint64(stats.traceEvents))},
                       {QStringLiteral("trace_drops"), wide(qint64(stats.traceDrops))},
                       {QStringLiteral("trace_skipped"), wide(qint64(stats.traceSkipped))},
                       {QStringLiteral("dump_interval_ms"), stats.dumpIntervalMs},
                       {QStringLiteral("backed_off"), stats.backedOff},
                       {QStringLiteral("ephemeral_port_start"), stats.ephemeralPortStart}};
}

// Reading: every getter records the first missing or mistyped field; the
// caller turns it into one Error naming the line.
class Reader
{
public:
    QString problem;

    QJsonValue field(const QJsonObject &object, const char *key)
    {
        const QJsonValue value = object.value(QLatin1String(key));
        if (value.isUndefined())
            fail(QStringLiteral("no \"%1\"").arg(QLatin1String(key)));
        return value;
    }
    QJsonObject object(const QJsonObject &object, const char *key)
    {
        const QJsonValue value = field(object, key);
        if (!value.isObject())
            fail(QStringLiteral("\"%1\" is not an object").arg(QLatin1String(key)));
        return value.toObject();
    }
    QJsonArray array(const QJsonObject &object, const char *key)
    {
        const QJsonValue value = field(object, key);
        if (!value.isArray())
            fail(QStringLiteral("\"%1\" is not an array").arg(QLatin1String(key)));
        return value.toArray();
    }
    QString text(const QJsonObject &object, const char *key)
    {
        const QJsonValue value = field(object, key);
        if (!value.isString())
            fail(QStringLiteral("\"%1\" is not a string").arg(QLatin1String(key)));
        return value.toString();
    }
    bool flag(const QJsonObject &object, const char *key)
    {
        const QJsonValue value = field(object, key);
        if (!value.isBool())
            fail(QStringLiteral("\"%1\" is not true or false").arg(QLatin1String(key)));
        return value.toBool();
    }
    qint64 integer(const QJsonValue &value, const char *key, qint64 minimum, qint64 maximum)
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
    qint64 integer(const QJsonObject &object, const char *key, qint64 minimum = 0,
                   qint64 maximum = std::numeric_limits<qint64>::max())
    {
        return integer(field(object, key), key, minimum, maximum);
    }
    std::uint64_t cookie(const QJsonObject &object)
    {
        bool ok = false;
        const std::uint64_t value = text(object, "cookie").toULongLong(&ok);
        if (!ok)
            fail(QStringLiteral("\"cookie\" is not a decimal number"));
        return value;
    }
    void fail(const QString &what)
    {
        if (problem.isEmpty())
            problem = what;
    }

    // A name among `count` values, as written by `name`.
    template <typename Enum, typename NameOf>
    Enum named(const QString &text, const char *key, int count, NameOf name)
    {
        for (int i = 0; i < count; ++i) {
            if (text == QString(name(static_cast<Enum>(i))))
                return static_cast<Enum>(i);
        }
        fail(QStringLiteral("unknown %1 %2").arg(QLatin1String(key), quotedValue(text)));
        return static_cast<Enum>(0);
    }

    Endpoint endpoint(const QJsonObject &object, const char *address, const char *port,
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

    void socket(const QJsonObject &json, SocketRecord &record, OwnerLookup &owner)
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

    ConnectionView view(const QJsonObject &json)
    {
        ConnectionView view;
        view.id = static_cast<std::uint64_t>(integer(json, "id"));
        socket(object(json, "socket"), view.socket, view.owner);
        view.firstSeenMs = integer(json, "first_seen_ms", INT64_MIN, INT64_MAX);
        view.stateSinceMs = integer(json, "state_since_ms", INT64_MIN, INT64_MAX);
        view.stateSinceIsLowerBound = flag(json, "since_is_lower_bound");
        for (const QJsonValue &value : array(json, "history")) {
            const QJsonArray span = value.toArray();
            if (span.size() != 3) {
                fail(QStringLiteral("a \"history\" entry is not [state, entered, left]"));
                break;
            }
            view.history.append(
                {static_cast<TcpState>(integer(span[0], "history state", 0, kTcpStateCount - 1)),
                 integer(span[1], "history entered", INT64_MIN, INT64_MAX),
                 integer(span[2], "history left", INT64_MIN, INT64_MAX)});
        }
        return view;
    }

    SocketEvent event(const QJsonObject &json)
    {
        SocketEvent event;
        event.timeNs = integer(json, "time_ns", INT64_MIN, INT64_MAX);
        event.timeMs = integer(json, "time_ms", INT64_MIN, INT64_MAX);
        event.kind = named<EventKind>(text(json, "event"), "event", 5, eventKindName);
        event.source = named<EventSource>(text(json, "source"), "source", 3, eventSourceName);
        event.from = static_cast<TcpState>(integer(json, "from", 0, kTcpStateCount - 1));
        event.to = static_cast<TcpState>(integer(json, "to", 0, kTcpStateCount - 1));
        event.initial = flag(json, "initial");
        event.pid = static_cast<int>(integer(json, "by_pid", 0, INT_MAX));
        event.command = text(json, "by_command");
        event.connection = view(object(json, "connection"));
        return event;
    }

    PollStats stats(const QJsonObject &json)
    {
        PollStats stats;
        stats.pollNumber = static_cast<int>(integer(json, "poll", 0, INT_MAX));
        stats.socketCount = static_cast<int>(integer(json, "sockets", 0, INT_MAX));
        stats.dumpUs = integer(json, "dump_us");
        stats.ownersUs = integer(json, "owners_us");
        stats.totalUs = integer(json, "total_us");
        stats.ownersComplete = flag(json, "owners_complete");
        stats.tracing = flag(json, "tracing");
        stats.traceNotice = text(json, "trace_notice");
        stats.traceEvents = static_cast<std::uint64_t>(integer(json, "trace_events"));
        stats.traceDrops = static_cast<std::uint64_t>(integer(json, "trace_drops"));
        // Older agents send no "trace_skipped": they counted skips as drops.
        if (json.contains(QLatin1String("trace_skipped")))
            stats.traceSkipped = static_cast<std::uint64_t>(integer(json, "trace_skipped"));
        stats.dumpIntervalMs = static_cast<int>(integer(json, "dump_interval_ms", 0, INT_MAX));
        stats.backedOff = flag(json, "backed_off");
        stats.ephemeralPortStart =
            static_cast<int>(integer(json, "ephemeral_port_start", 1, 65535));
        return stats;
    }
};

} // namespace

QByteArray helloToJsonLine(const AgentHello &hello)
{
    QJsonObject json{
        {QStringLiteral("sockscope_agent"), hello.protocol},
        {QStringLiteral("version"), hello.version},
        {QStringLiteral("hostname"), hello.hostname},
        {QStringLiteral("kernel"), hello.kernel},
        {QStringLiteral("tracing"), hello.tracing},
        {QStringLiteral("trace_notice"), hello.traceNotice},
        {QStringLiteral("ephemeral_port_start"), hello.ephemeralPortStart},
    };
    if (hello.root)
        json.insert(QStringLiteral("root"), *hello.root);
    return line(json);
}

QByteArray batchToJsonLine(const PollBatch &batch)
{
    QJsonArray events;
    for (const SocketEvent &event : batch.events)
        events.append(eventToAgentJson(event));
    QJsonArray updated;
    for (const ConnectionView &view : batch.updated)
        updated.append(viewToJson(view));
    return line(QJsonObject{{QStringLiteral("batch"), wide(batch.timeMs)},
                            {QStringLiteral("initial"), batch.initial},
                            {QStringLiteral("stats"), statsToJson(batch.stats)},
                            {QStringLiteral("events"), events},
                            {QStringLiteral("updated"), updated}});
}

Result<AgentLine> parseAgentLine(QByteArrayView text, int lineNumber)
{
    const auto failure = [&](const QString &what) {
        return Error{EPROTO,
                     QStringLiteral("line %1 of the agent's output %2").arg(lineNumber).arg(what)};
    };
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return failure(
            QStringLiteral("is not the sockscope agent protocol: it starts %1")
                .arg(quotedValue(QString::fromUtf8(text.first(qMin<qsizetype>(text.size(), 60))))));
    const QJsonObject json = document.object();
    Reader read;
    AgentLine result;
    if (json.contains(QLatin1String("sockscope_agent"))) {
        AgentHello hello;
        hello.protocol = static_cast<int>(read.integer(json, "sockscope_agent", 0, INT_MAX));
        if (read.problem.isEmpty() && hello.protocol != kAgentProtocolVersion)
            return failure(QStringLiteral("speaks agent protocol %1, this sockscope speaks %2: "
                                          "install the same sockscope version on both ends")
                               .arg(hello.protocol)
                               .arg(kAgentProtocolVersion));
        hello.version = read.text(json, "version");
        hello.hostname = read.text(json, "hostname");
        hello.kernel = read.text(json, "kernel");
        hello.tracing = read.flag(json, "tracing");
        hello.traceNotice = read.text(json, "trace_notice");
        hello.ephemeralPortStart =
            static_cast<int>(read.integer(json, "ephemeral_port_start", 1, 65535));
        if (json.contains(QLatin1String("root")))
            hello.root = read.flag(json, "root");
        result.hello = hello;
    } else if (json.contains(QLatin1String("batch"))) {
        PollBatch batch;
        batch.timeMs = read.integer(json, "batch", INT64_MIN, INT64_MAX);
        batch.initial = read.flag(json, "initial");
        batch.stats = read.stats(read.object(json, "stats"));
        for (const QJsonValue &value : read.array(json, "events"))
            batch.events.push_back(read.event(value.toObject()));
        for (const QJsonValue &value : read.array(json, "updated"))
            batch.updated.push_back(read.view(value.toObject()));
        result.batch = std::move(batch);
    } else {
        return failure(QStringLiteral("is JSON but neither a hello nor a batch"));
    }
    if (!read.problem.isEmpty())
        return failure(QStringLiteral("is malformed: %1").arg(read.problem));
    return result;
}

} // namespace sockscope
