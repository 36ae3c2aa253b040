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
    }
    return QStringLiteral("appeared");
}

QString eventSourceName(EventSource source)
{
    return source == EventSource::Poll ? QStringLiteral("poll") : QStringLiteral("destroy");
}

} // namespace sockscope
