// SPDX-License-Identifier: GPL-3.0-or-later
#include "events/liveconnections.h"

namespace sockscope {

void LiveConnections::apply(const std::vector<SocketEvent> &events,
                            const std::vector<ConnectionView> &updated)
{
    for (const SocketEvent &event : events) {
        if (event.kind == EventKind::Gone)
            m_connections.remove(event.connection.id);
        else
            m_connections.insert(event.connection.id, event.connection);
    }
    // A batch lists each updated connection as it is after all its events.
    for (const ConnectionView &view : updated)
        m_connections.insert(view.id, view);
}

} // namespace sockscope
