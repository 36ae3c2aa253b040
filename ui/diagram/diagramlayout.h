// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/tcpstate.h"

#include <QList>
#include <QPolygonF>
#include <QRectF>
#include <QString>
#include <QStringList>

namespace sockscope {

// One state box of the figure, in design coordinates (see DiagramLayout::designSize()).
struct DiagramBox
{
    TcpState state = TcpState::Unknown;
    QRectF rect;
    // The second CLOSED box at the bottom right. The RFC figure draws CLOSED
    // twice so that the closing arrows stay short; both boxes are one state.
    bool repeat = false;
};

// One transition of the figure: "event / action", routed as a polyline that
// starts on the border of its source box and ends on the border of its target.
struct DiagramEdge
{
    TcpState from = TcpState::Unknown;
    TcpState to = TcpState::Unknown;
    int fromBox = -1; // index into DiagramLayout::boxes()
    int toBox = -1;
    QString event;  // "rcv SYN"
    QString action; // "snd SYN,ACK"; empty when nothing is sent
    QString note;   // "simultaneous open"; empty for most edges
    bool oneLine = false;
    QPolygonF route;
    // Where the label sits: the anchor touches the label's side named by the
    // alignment (AlignLeft: the label starts at the anchor, extending right).
    QPointF labelAnchor;
    Qt::Alignment labelAlignment;

    // "rcv SYN / snd SYN,ACK (simultaneous open)"
    QString text() const;
    // "rcv SYN / snd SYN,ACK", or the event alone when nothing is sent.
    QString eventAndAction() const;
    // The lines as drawn: "event / action" on one line, or event and action on two.
    QStringList labelLines() const;
};

// The RFC 9293 (RFC 793 figure 6) TCP connection state machine as pure
// geometry, so both the widget and its tests read the same boxes and routes.
class DiagramLayout
{
public:
    DiagramLayout();

    // The coordinate space boxes and routes live in; it has the widget's
    // preferred aspect ratio and is scaled uniformly to the widget.
    static QSizeF designSize() { return {520.0, 560.0}; }

    const QList<DiagramBox> &boxes() const { return m_boxes; }
    const QList<DiagramEdge> &edges() const { return m_edges; }

    // The box index drawing this state (the top CLOSED box for Close); -1 for Unknown.
    int primaryBox(TcpState state) const;
    // The box under a design-space point, or -1.
    int boxAt(const QPointF &point) const;
    // The edge index for a transition of the figure, or -1 if the figure has none.
    int edgeBetween(TcpState from, TcpState to) const;
    // The fewest edges leading from one state to another, in order. A direct
    // edge gives one; states a discrete poll skipped give several; the same
    // state, Unknown, or no route gives none. Ties go to the edge listed first.
    QList<int> pathBetween(TcpState from, TcpState to) const;

private:
    QList<DiagramBox> m_boxes;
    QList<DiagramEdge> m_edges;
};

// Maps design coordinates into a widget rectangle, centred. The figure may
// stretch a little along the roomier axis (up to kMaxStretch times the other):
// a wide, short pane then gets wider boxes and more room between columns for
// text, which is never stretched itself.
struct DiagramTransform
{
    static constexpr double kMaxStretch = 1.6;
    double scale = 1.0;  // the smaller of the two: line widths and text follow it
    double scaleX = 1.0; // design pixel -> widget pixel, across
    double scaleY = 1.0; // ... and down
    QPointF origin;      // where design (0,0) lands

    static DiagramTransform fit(const QSizeF &design, const QRectF &target);
    QPointF map(const QPointF &point) const
    {
        return origin + QPointF(point.x() * scaleX, point.y() * scaleY);
    }
    QRectF map(const QRectF &rect) const
    {
        return {map(rect.topLeft()), QSizeF(rect.width() * scaleX, rect.height() * scaleY)};
    }
    QPolygonF map(const QPolygonF &polygon) const;
    QPointF unmap(const QPointF &point) const
    {
        const QPointF d = point - origin;
        return {d.x() / scaleX, d.y() / scaleY};
    }
};

} // namespace sockscope
