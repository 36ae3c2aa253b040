// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/connectiontracker.h"
#include "poller/pollbatch.h"

#include <QByteArrayView>
#include <QString>

namespace sockscope {

// What a window over ss is missing, said wherever it shows (status bar, watch).
QString ssFallbackNotice();

// Turns successive `ss -tanoeiHp` runs of a server without sockscope into
// PollBatches through the engine's own state-keeping (ConnectionTracker), so
// what receives them cannot tell but for PollStats::traceNotice. It keeps its
// connections across reconnects: their history carries on.
class SsFallback
{
public:
    void setEphemeralPortStart(int port) { m_ephemeralPortStart = port; }
    // How often the server runs ss (PollStats::dumpIntervalMs: what the status bar says).
    void setIntervalMs(int intervalMs) { m_intervalMs = intervalMs; }
    // One run's output, received at timeMs (this machine's monotonic clock).
    PollBatch apply(QByteArrayView runOutput, std::int64_t timeMs);
    // Lines of the last run that were not sockets (ss changed its format?).
    int skippedLines() const { return m_skipped; }
    QString firstSkipped() const { return m_firstSkipped; }

private:
    ConnectionTracker m_tracker;
    int m_ephemeralPortStart = 32768;
    int m_intervalMs = 1000;
    int m_polls = 0;
    int m_skipped = 0;
    QString m_firstSkipped;
};

} // namespace sockscope
