// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"
#include "panes/connectiontimeline.h"

#include <QWidget>

class QLabel;

namespace sockscope {

// The details pane: every field of the selected connection, who owns it, and
// its timeline (states with durations, lab actions that touched it).
class ConnectionDetails : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionDetails(QWidget *parent = nullptr);

    void showConnection(const ConnectionView &view, std::int64_t nowMs,
                        const QList<ConnectionTimeline::Marker> &markers);
    void clear();
    // The Timer column's text for the connection shown next: the table counts
    // the dump's timer down with the clock, the pane shows the same.
    void setTimerText(const QString &text) { m_timerText = text; }
    ConnectionTimeline *timeline() const { return m_timeline; }

private:
    QLabel *m_summary;
    ConnectionTimeline *m_timeline;
    QString m_timerText;
};

} // namespace sockscope
