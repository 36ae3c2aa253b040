// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/ssfallback.h"

#include "remote/ssoutput.h"

#include <QHash>

namespace sockscope {

QString ssFallbackNotice()
{
    return QStringLiteral("the server has no sockscope, reading its ss output instead: no "
                          "tracing over ss: transitions between polls are not seen; no history "
                          "between polls (install sockscope there for both)");
}

PollBatch SsFallback::apply(QByteArrayView runOutput, std::int64_t timeMs)
{
    SsParse parse = parseSsOutput(runOutput);
    m_skipped = parse.skippedLines;
    m_firstSkipped = parse.firstSkipped;
    std::vector<SocketRecord> snapshot;
    snapshot.reserve(parse.sockets.size());
    QHash<std::uint64_t, OwnerLookup> owners;
    for (SsSocket &socket : parse.sockets) {
        owners.insert(socket.record.cookie, socket.owner);
        snapshot.push_back(socket.record);
    }
    PollBatch batch;
    batch.timeMs = timeMs;
    batch.initial = !m_tracker.started();
    ConnectionTracker::Diff diff =
        m_tracker.apply(snapshot, timeMs, [&owners](const SocketRecord &record) {
            return owners.value(record.cookie);
        });
    batch.events = std::move(diff.events);
    batch.updated = std::move(diff.updated);
    batch.stats.pollNumber = ++m_polls;
    batch.stats.socketCount = static_cast<int>(snapshot.size());
    batch.stats.ownersScanned = true;
    batch.stats.tracing = false;
    batch.stats.traceNotice = ssFallbackNotice();
    batch.stats.ephemeralPortStart = m_ephemeralPortStart;
    batch.stats.dumpIntervalMs = m_intervalMs;
    return batch;
}

} // namespace sockscope
