// SPDX-License-Identifier: GPL-3.0-or-later
#include "format/batchjson.h"

#include "format/jsonfields.h"
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

QJsonObject viewToJson(const ConnectionView &view)
{
    QJsonArray history;
    for (const StateSpan &span : view.history)
        history.append(QJsonArray{static_cast<int>(span.state), wideJson(span.enteredMs),
                                  wideJson(span.leftMs)});
    return QJsonObject{{QStringLiteral("id"), wideJson(static_cast<std::int64_t>(view.id))},
                       {QStringLiteral("socket"), socketToJson(view.socket, view.owner)},
                       {QStringLiteral("first_seen_ms"), wideJson(view.firstSeenMs)},
                       {QStringLiteral("state_since_ms"), wideJson(view.stateSinceMs)},
                       {QStringLiteral("since_is_lower_bound"), view.stateSinceIsLowerBound},
                       {QStringLiteral("history"), history}};
}

QJsonObject eventToAgentJson(const SocketEvent &event)
{
    return QJsonObject{{QStringLiteral("time_ns"), wideJson(event.timeNs)},
                       {QStringLiteral("time_ms"), wideJson(event.timeMs)},
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
                       {QStringLiteral("dump_us"), wideJson(stats.dumpUs)},
                       {QStringLiteral("owners_us"), wideJson(stats.ownersUs)},
                       {QStringLiteral("total_us"), wideJson(stats.totalUs)},
                       {QStringLiteral("owners_complete"), stats.ownersComplete},
                       {QStringLiteral("tracing"), stats.tracing},
                       {QStringLiteral("trace_notice"), stats.traceNotice},
                       {QStringLiteral("trace_events"), wideJson(qint64(stats.traceEvents))},
                       {QStringLiteral("trace_drops"), wideJson(qint64(stats.traceDrops))},
                       {QStringLiteral("trace_skipped"), wideJson(qint64(stats.traceSkipped))},
                       {QStringLiteral("dump_interval_ms"), stats.dumpIntervalMs},
                       {QStringLiteral("backed_off"), stats.backedOff},
                       {QStringLiteral("ephemeral_port_start"), stats.ephemeralPortStart}};
}

// The batch's parts, read with the shared field reader.
class Reader : public JsonFieldReader
{
public:
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
    if (hello.lab)
        json.insert(QStringLiteral("lab"), true);
    if (hello.pid > 0)
        json.insert(QStringLiteral("pid"), hello.pid);
    return jsonLine(json);
}

QByteArray batchToJsonLine(const PollBatch &batch)
{
    QJsonArray events;
    for (const SocketEvent &event : batch.events)
        events.append(eventToAgentJson(event));
    QJsonArray updated;
    for (const ConnectionView &view : batch.updated)
        updated.append(viewToJson(view));
    return jsonLine(QJsonObject{{QStringLiteral("batch"), wideJson(batch.timeMs)},
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
        if (json.contains(QLatin1String("lab")))
            hello.lab = read.flag(json, "lab");
        if (json.contains(QLatin1String("pid")))
            hello.pid = static_cast<int>(read.integer(json, "pid", 1, INT_MAX));
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
