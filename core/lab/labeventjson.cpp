// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/labeventjson.h"

namespace sockscope {

QString labEventText(const LabEvent &event)
{
    if (!event.failure)
        return event.text;
    return event.text + QStringLiteral(": ") + event.failure->text();
}

QJsonObject labEventToJson(const LabEvent &event)
{
    QJsonObject object{
        {QStringLiteral("time_ms"), static_cast<qint64>(event.timeMs)},
        {QStringLiteral("event"), event.failure ? QStringLiteral("error") : QStringLiteral("lab")},
        {QStringLiteral("object"), event.objectId},
        {QStringLiteral("text"), labEventText(event)}};
    if (event.failure)
        object.insert(QStringLiteral("errno"), event.failure->errnoName);
    return object;
}

} // namespace sockscope
