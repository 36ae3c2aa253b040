// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/segmentladder.h"

#include <QList>
#include <QWidget>

namespace sockscope {

// One connection as a ladder diagram: a vertical line per end headed by its
// address and roles, time flowing down, each end's state changes written on
// its line with their time since the first, and the segments between them as
// arrows from sender to receiver. Events take one row each in time order (a
// handshake lasts microseconds, a close may come minutes later); the times
// written beside them are the real ones. Sized to its text: put it in a
// scroll area.
class LadderWidget : public QWidget
{
    Q_OBJECT
public:
    struct End
    {
        QString address;
        QList<ConnectionStep> steps; // empty for a remote peer
    };

    explicit LadderWidget(QWidget *parent = nullptr);

    // `peer` without steps is drawn as "remote peer" with no states.
    void setEnds(const End &self, const End &peer, bool peerKnown);
    void clear();
    const SegmentLadder &ladder() const { return m_ladder; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Mark
    {
        int side;
        std::int64_t timeNs;
        TcpState state;  // Unknown: the end ("closed")
        QString process; // "nc (pid 42)" when a call of it made the change
    };
    void relayout();
    // Some arrow has an end whose time is not known: drawn dashed, explained below.
    bool hasPartial() const;
    QString legendText() const;
    static constexpr int kLegendLines = 3;
    int rowOf(std::int64_t timeNs) const;
    int rowY(int row) const;
    QString markText(const Mark &mark) const;
    QString timeText(std::int64_t timeNs) const;
    QStringList headerLines(int side) const;
    void paintHeader(QPainter &painter, int side, int x) const;
    void paintMark(QPainter &painter, const Mark &mark, int x, int side) const;
    void paintSegment(QPainter &painter, const LadderSegment &segment, int fromX, int toX) const;

    std::array<End, 2> m_ends;
    bool m_peerKnown = false;
    SegmentLadder m_ladder;
    QList<Mark> m_marks;
    std::vector<std::int64_t> m_times; // each row's time, ascending
    std::int64_t m_originNs = 0;
    int m_labelWidth = 0;  // beside each line
    int m_headerWidth = 0; // of one end's header
    int m_gap = 0;         // between the lines, at least
};

} // namespace sockscope
