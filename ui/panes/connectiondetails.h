// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/connectionhistory.h"
#include "panes/connectiontimeline.h"

#include <QWidget>

class QLabel;
class QTabWidget;

namespace sockscope {

class LadderWidget;

// The details pane: every field of the selected connection, who owns it and,
// when its other end is on this machine too, that end's; then its timeline
// (states with durations, lab actions that touched it) and its ladder (the
// segments between the two ends). An ended connection says when it ended.
class ConnectionDetails : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionDetails(QWidget *parent = nullptr);

    // `peer`: the other end on this machine, or nullptr (a remote peer).
    void showConnection(const ConnectionEntry &entry, const ConnectionEntry *peer,
                        std::int64_t nowMs, const QList<ConnectionTimeline::Marker> &markers);
    void clear();
    // The Timer column's text for the connection shown next: the table counts
    // the dump's timer down with the clock, the pane shows the same.
    void setTimerText(const QString &text) { m_timerText = text; }
    ConnectionTimeline *timeline() const { return m_timeline; }
    LadderWidget *ladder() const { return m_ladder; }
    QTabWidget *tabs() const { return m_tabs; }
    // The summary's text as shown (tests read it).
    QString summaryText() const;
    void showLadderTab();

private:
    QLabel *m_summary;
    ConnectionTimeline *m_timeline;
    LadderWidget *m_ladder;
    QTabWidget *m_tabs;
    QString m_timerText;
};

} // namespace sockscope
