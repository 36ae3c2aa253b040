// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"

#include <QList>
#include <QWidget>

namespace sockscope {

// One connection's life as a strip of coloured spans, one per state, with
// durations ("<1 ms" for a state entered and left within a millisecond); lab
// actions, lab errors and resets that touched it as markers underneath.
class ConnectionTimeline : public QWidget
{
    Q_OBJECT
public:
    struct Marker
    {
        std::int64_t timeMs = 0;
        QString text;
        bool error = false;
    };

    explicit ConnectionTimeline(QWidget *parent = nullptr);

    void setHistory(const QList<StateSpan> &history, bool firstIsLowerBound);
    void setMarkers(const QList<Marker> &markers);
    void setNow(std::int64_t nowMs);
    void clear();

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // The colour the UI uses for a state everywhere (table, diagram legend, timeline).
    static QColor stateColor(TcpState state);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<StateSpan> m_history;
    QList<Marker> m_markers;
    bool m_lowerBound = false;
    std::int64_t m_nowMs = 0;
};

} // namespace sockscope
