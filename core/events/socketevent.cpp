// SPDX-License-Identifier: GPL-3.0-or-later
#include "events/socketevent.h"

namespace sockscope {

QString eventKindName(EventKind kind)
{
    switch (kind) {
    case EventKind::Appeared:
        return QStringLiteral("appeared");
    case EventKind::StateChanged:
        return QStringLiteral("state");
    case EventKind::Gone:
        return QStringLiteral("gone");
    case EventKind::ResetSent:
        return QStringLiteral("reset-sent");
    case EventKind::ResetReceived:
        return QStringLiteral("reset-received");
    }
    return QStringLiteral("appeared");
}

QString eventSourceName(EventSource source)
{
    switch (source) {
    case EventSource::Poll:
        return QStringLiteral("poll");
    case EventSource::Destroy:
        return QStringLiteral("destroy");
    case EventSource::Trace:
        return QStringLiteral("trace");
    }
    return QStringLiteral("poll");
}

QList<StateSpan> &historyToChange(ConnectionView &view)
{
    QList<StateSpan> fresh;
    fresh.reserve(view.history.size() + 1); // room for the usual append
    fresh.append(view.history.cbegin(), view.history.cend());
    view.history = std::move(fresh);
    return view.history;
}

} // namespace sockscope
