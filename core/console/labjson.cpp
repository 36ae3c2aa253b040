// SPDX-License-Identifier: GPL-3.0-or-later
#include "console/labjson.h"

#include "format/jsonfields.h"
#include "format/socketjson.h"
#include "util/quotedvalue.h"

#include <cerrno>
#include <climits>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sockscope {

namespace {

QJsonObject explanationToJson(const Explanation &explanation)
{
    QJsonArray culprits;
    for (const Culprit &culprit : explanation.culprits) {
        QJsonObject json{{QStringLiteral("socket"), socketToJson(culprit.socket, culprit.owner)},
                         {QStringLiteral("description"), culprit.description},
                         {QStringLiteral("when_it_ends"), culprit.whenItEnds}};
        if (culprit.endsInMs)
            json.insert(QStringLiteral("ends_in_ms"), wideJson(*culprit.endsInMs));
        culprits.append(json);
    }
    return QJsonObject{{QStringLiteral("errnum"), explanation.errnum},
                       {QStringLiteral("errno"), explanation.errnoName},
                       {QStringLiteral("summary"), explanation.summary},
                       {QStringLiteral("note"), explanation.note},
                       {QStringLiteral("culprits"), culprits}};
}

QJsonArray stringsToJson(const QStringList &strings)
{
    QJsonArray array;
    for (const QString &text : strings)
        array.append(text);
    return array;
}

class LabReader : public JsonFieldReader
{
public:
    QStringList strings(const QJsonObject &json, const char *key)
    {
        QStringList result;
        for (const QJsonValue &value : array(json, key)) {
            if (!value.isString())
                fail(QStringLiteral("\"%1\" holds a non-string").arg(QLatin1String(key)));
            result << value.toString();
        }
        return result;
    }

    Explanation explanation(const QJsonObject &json)
    {
        Explanation explanation;
        explanation.errnum = static_cast<int>(integer(json, "errnum", 0, INT_MAX));
        explanation.errnoName = text(json, "errno");
        explanation.summary = text(json, "summary");
        explanation.note = text(json, "note");
        for (const QJsonValue &value : array(json, "culprits")) {
            const QJsonObject item = value.toObject();
            Culprit culprit;
            socket(object(item, "socket"), culprit.socket, culprit.owner);
            culprit.description = text(item, "description");
            culprit.whenItEnds = text(item, "when_it_ends");
            if (item.contains(QLatin1String("ends_in_ms")))
                culprit.endsInMs = integer(item, "ends_in_ms", INT64_MIN, INT64_MAX);
            explanation.culprits.append(culprit);
        }
        return explanation;
    }

    ConsoleAnswer answer(const QJsonObject &json)
    {
        ConsoleAnswer answer;
        answer.ok = flag(json, "ok");
        answer.errnoName = text(json, "errno");
        answer.text = text(json, "text");
        answer.details = strings(json, "details");
        answer.ids = strings(json, "ids");
        const QJsonObject objects = object(json, "objects");
        for (auto it = objects.begin(); it != objects.end(); ++it) {
            const QJsonObject item = it.value().toObject();
            answer.objects.insert(
                it.key(), ObjectLine{text(item, "line"), text(item, "state"), flag(item, "ok")});
        }
        if (json.contains(QLatin1String("explanation")))
            answer.explanation = explanation(object(json, "explanation"));
        return answer;
    }

    LabEvent event(const QJsonObject &json)
    {
        LabEvent event;
        event.timeMs = integer(json, "time_ms", INT64_MIN, INT64_MAX);
        event.objectId = text(json, "object");
        event.text = text(json, "text");
        if (json.contains(QLatin1String("failure")))
            event.failure = explanation(object(json, "failure"));
        return event;
    }
};

std::optional<QJsonObject> objectOf(QByteArrayView line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line.toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

QString firstBytes(QByteArrayView line)
{
    return quotedValue(QString::fromUtf8(line.first(qMin<qsizetype>(line.size(), 60))));
}

} // namespace

QByteArray labRequestLine(const LabRequest &request)
{
    return jsonLine(QJsonObject{{QStringLiteral("lab_request"), wideJson(qint64(request.request))},
                                {QStringLiteral("line"), request.line}});
}

Result<LabRequest> parseLabRequest(QByteArrayView line)
{
    const std::optional<QJsonObject> json = objectOf(line);
    if (!json || !json->contains(QLatin1String("lab_request")))
        return Error{EPROTO, QStringLiteral("a line on standard input is not a lab request: it "
                                            "starts %1")
                                 .arg(firstBytes(line))};
    LabReader read;
    LabRequest request;
    request.request = static_cast<std::uint64_t>(read.integer(*json, "lab_request"));
    request.line = read.text(*json, "line");
    if (!read.problem.isEmpty())
        return Error{EPROTO, QStringLiteral("a lab request is malformed: %1").arg(read.problem)};
    return request;
}

QByteArray labAnswerLine(std::uint64_t request, const ConsoleAnswer &answer)
{
    QJsonObject objects;
    for (auto it = answer.objects.cbegin(); it != answer.objects.cend(); ++it)
        objects.insert(it.key(), QJsonObject{{QStringLiteral("line"), it->line},
                                             {QStringLiteral("state"), it->state},
                                             {QStringLiteral("ok"), it->ok}});
    QJsonObject json{{QStringLiteral("request"), wideJson(qint64(request))},
                     {QStringLiteral("ok"), answer.ok},
                     {QStringLiteral("errno"), answer.errnoName},
                     {QStringLiteral("text"), answer.text},
                     {QStringLiteral("details"), stringsToJson(answer.details)},
                     {QStringLiteral("ids"), stringsToJson(answer.ids)},
                     {QStringLiteral("objects"), objects}};
    if (answer.explanation)
        json.insert(QStringLiteral("explanation"), explanationToJson(*answer.explanation));
    return jsonLine(QJsonObject{{QStringLiteral("lab_answer"), json}});
}

QByteArray labEventLine(const LabEvent &event)
{
    QJsonObject json{{QStringLiteral("time_ms"), wideJson(event.timeMs)},
                     {QStringLiteral("object"), event.objectId},
                     {QStringLiteral("text"), event.text}};
    if (event.failure)
        json.insert(QStringLiteral("failure"), explanationToJson(*event.failure));
    return jsonLine(QJsonObject{{QStringLiteral("lab_event"), json}});
}

bool isLabLine(QByteArrayView line)
{
    // Written by us, compact, with one key: it tells the kind of line without
    // parsing (a batch line may be tens of MB).
    return line.startsWith("{\"lab_answer\"") || line.startsWith("{\"lab_event\"");
}

Result<LabLine> parseLabLine(QByteArrayView line, int lineNumber)
{
    const auto failure = [&](const QString &what) {
        return Error{EPROTO,
                     QStringLiteral("line %1 of the agent's output %2").arg(lineNumber).arg(what)};
    };
    const std::optional<QJsonObject> json = objectOf(line);
    if (!json)
        return failure(QStringLiteral("is not JSON: it starts %1").arg(firstBytes(line)));
    LabReader read;
    LabLine result;
    if (json->contains(QLatin1String("lab_answer"))) {
        const QJsonObject answer = read.object(*json, "lab_answer");
        result.request = static_cast<std::uint64_t>(read.integer(answer, "request"));
        result.answer = read.answer(answer);
    } else if (json->contains(QLatin1String("lab_event"))) {
        result.event = read.event(read.object(*json, "lab_event"));
    } else {
        return failure(QStringLiteral("is neither a lab answer nor a lab event"));
    }
    if (!read.problem.isEmpty())
        return failure(QStringLiteral("is malformed: %1").arg(read.problem));
    return result;
}

} // namespace sockscope
