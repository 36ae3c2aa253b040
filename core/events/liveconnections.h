// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"

#include <cstdint>
#include <QHash>
#include <vector>

namespace sockscope {

// The connections alive now, as a receiver of the poller's batches knows them:
// the tracker's state lives on the poller's thread, so whoever needs the whole
// current set on its own thread (the exporter) keeps this copy, fed batch by batch.
class LiveConnections
{
public:
    // A Gone event removes its connection; every other event and every
    // updated view replaces it with the newer view.
    void apply(const std::vector<SocketEvent> &events, const std::vector<ConnectionView> &updated);

    const QHash<std::uint64_t, ConnectionView> &connections() const { return m_connections; }
    qsizetype size() const { return m_connections.size(); }

private:
    QHash<std::uint64_t, ConnectionView> m_connections;
};

} // namespace sockscope
