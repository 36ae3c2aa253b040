// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/socketevent.h"

#include <QList>
#include <QRectF>
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

    // Where things are drawn at the current size, for tooltips and tests:
    // each span's box (state name inside), each drawn marker's text.
    struct Layout
    {
        QList<QRectF> spans;
        QList<QRectF> durations; // above each span
        QList<QRectF> markerTexts;
        QList<int> markerIndexes; // which marker each text is
        QList<double> markerXs;   // where on the time axis
        QList<int> hiddenMarkers; // no row left for them: "+N more" in `more`
        QRectF more;
    };
    Layout placement() const;
    // The whole text of what is at `point` (a span, its duration, a marker):
    // the strip elides where it is narrow.
    QString toolTipAt(const QPointF &point) const;

    // The colour the UI uses for a state everywhere (table, diagram legend, timeline).
    static QColor stateColor(TcpState state);

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    static constexpr qsizetype kMarkerRowsWanted = 4;
    std::int64_t endOf(const StateSpan &span) const;
    QString durationLabel(int index) const;
    double markerX(const Layout &placed, std::int64_t timeMs) const;

    QList<StateSpan> m_history;
    QList<Marker> m_markers;
    bool m_lowerBound = false;
    std::int64_t m_nowMs = 0;
};

} // namespace sockscope
