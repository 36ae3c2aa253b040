// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/connectionhistory.h"
#include "model/tcpstate.h"
#include "poller/pollbatch.h"

#include <cstdint>
#include <optional>
#include <QObject>
#include <QString>

namespace sockscope {

class EventLogModel;
class HistoryModel;
class PortSummaryModel;
class SocketSource;
class SocketTableModel;

// One source the window shows in a tab of its own, with everything it has
// gathered: its socket table, ports, event log and connection history. It
// keeps taking its source's batches while another tab is in front, so a tab
// brought back is complete at once and its history has no gap.
class SourceTab : public QObject
{
    Q_OBJECT
public:
    // Takes `source` (not started; the window starts it once connected).
    SourceTab(SocketSource *source, const QString &key, const QString &label,
              QObject *parent = nullptr);
    // Stops the source: its thread or ssh session ends with the tab.
    ~SourceTab() override;
    // Hands the source over to end on its own (SocketSource::dispose), for a
    // tab being closed: the GUI thread does not wait for it.
    void disposeSource();

    SocketSource *source() const { return m_source; }
    const QString &key() const { return m_key; }
    const QString &label() const { return m_label; }
    void rename(const QString &key, const QString &label);
    SocketTableModel *model() const { return m_model; }
    PortSummaryModel *ports() const { return m_ports; }
    EventLogModel *events() const { return m_events; }
    ConnectionHistory *history() { return &m_history; }
    HistoryModel *historyModel() const { return m_historyModel; }

    // What the source said last: why polling fails (empty while it works),
    // the latest batch's figures and the latest dump's.
    const QString &failure() const { return m_failure; }
    const std::optional<PollStats> &lastStats() const { return m_lastStats; }
    const std::optional<PollStats> &lastDumpStats() const { return m_lastDumpStats; }

    // Moves row fades and countdowns on and forgets expired history.
    void tick(std::int64_t nowMs);

    // What was in view when another tab came to the front (the window's
    // filter words and port are kept per source key, like across runs).
    struct Shown
    {
        std::uint64_t selectedId = 0;
        std::optional<TcpState> stateFilter;
        bool noticeVisible = false; // the polling notice, not dismissed yet
        bool noticeShown = false;
    };
    Shown shown;

Q_SIGNALS:
    // After the tab's models took a batch.
    void batchApplied(const sockscope::PollBatch &batch);
    // The source started or stopped failing (failure() says why).
    void failureChanged();

private:
    void apply(const PollBatch &batch);

    SocketSource *m_source;
    QString m_key;
    QString m_label;
    SocketTableModel *m_model;
    PortSummaryModel *m_ports;
    EventLogModel *m_events;
    ConnectionHistory m_history;
    HistoryModel *m_historyModel;
    QString m_failure;
    std::optional<PollStats> m_lastStats;
    std::optional<PollStats> m_lastDumpStats;
};

} // namespace sockscope
