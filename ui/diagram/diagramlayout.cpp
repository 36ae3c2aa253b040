// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/diagramlayout.h"

#include <algorithm>
#include <array>

namespace sockscope {

namespace {

// Box indices, in the order the boxes are listed.
enum BoxId : int
{
    BClosed,
    BListen,
    BSynRecv,
    BSynSent,
    BEstablished,
    BFinWait1,
    BCloseWait,
    BFinWait2,
    BClosing,
    BTimeWait,
    BLastAck,
    BClosedAgain,
};

constexpr double kBoxWidth = 104.0;
constexpr double kBoxHeight = 34.0;
constexpr double kLeft = 68.0;
constexpr double kCentre = 260.0;
constexpr double kRight = 452.0;

enum class Side
{
    Top,
    Bottom,
    Left,
    Right
};
// How a route bends between its two ports: straight, one corner (horizontal or
// vertical leg first), or two corners around a middle leg at `bend`.
enum class Route
{
    Straight,
    HorizontalFirst,
    VerticalFirst,
    VerticalSplit
};

struct Port
{
    BoxId box;
    Side side;
    double offset; // along the side, from its middle
};

struct EdgeSpec
{
    Port from;
    Port to;
    Route route;
    double bend; // VerticalSplit: the y of the horizontal middle leg
    const char *event;
    const char *action;
    const char *note;
    bool oneLine;
    QPointF anchor;
    Qt::Alignment align;
};

QRectF boxAround(double x, double y)
{
    return {x - kBoxWidth / 2, y - kBoxHeight / 2, kBoxWidth, kBoxHeight};
}

QPointF portPoint(const QList<DiagramBox> &boxes, const Port &port)
{
    const QRectF r = boxes.at(port.box).rect;
    switch (port.side) {
    case Side::Top:
        return {r.center().x() + port.offset, r.top()};
    case Side::Bottom:
        return {r.center().x() + port.offset, r.bottom()};
    case Side::Left:
        return {r.left(), r.center().y() + port.offset};
    case Side::Right:
        return {r.right(), r.center().y() + port.offset};
    }
    return r.center();
}

QPolygonF routeBetween(const QPointF &a, const QPointF &b, Route route, double bend)
{
    switch (route) {
    case Route::Straight:
        return QPolygonF({a, b});
    case Route::HorizontalFirst:
        return QPolygonF({a, {b.x(), a.y()}, b});
    case Route::VerticalFirst:
        return QPolygonF({a, {a.x(), b.y()}, b});
    case Route::VerticalSplit:
        return QPolygonF({a, {a.x(), bend}, {b.x(), bend}, b});
    }
    return QPolygonF({a, b});
}

// The figure's transitions. Label anchors are placed by hand beside the legs
// so that no label covers a box, a route or another label (the test checks).
QList<EdgeSpec> edgeSpecs()
{
    using S = Side;
    using R = Route;
    const auto left = Qt::AlignLeft | Qt::AlignVCenter;
    const auto right = Qt::AlignRight | Qt::AlignVCenter;
    const auto above = Qt::AlignHCenter | Qt::AlignBottom;
    const auto below = Qt::AlignHCenter | Qt::AlignTop;
    // clang-format off
    return {
        // Opening.
        {{BClosed, S::Bottom, -24}, {BListen, S::Top, -24}, R::Straight, 0,
         "passive open", "", "", true, {226, 75}, right},
        {{BClosed, S::Right, -6}, {BSynSent, S::Top, 36}, R::HorizontalFirst, 0,
         "active open", "snd SYN", "", true, {404, 20}, above},
        {{BListen, S::Left, 8}, {BSynRecv, S::Top, 28}, R::HorizontalFirst, 0,
         "rcv SYN", "snd SYN,ACK", "", false, {152, 133}, below},
        {{BListen, S::Right, 0}, {BSynSent, S::Top, -40}, R::HorizontalFirst, 0,
         "send", "snd SYN", "", false, {360, 124}, below},
        {{BSynSent, S::Left, 0}, {BSynRecv, S::Right, 0}, R::Straight, 0,
         "rcv SYN", "snd SYN,ACK", "simultaneous open", true, {260, 211}, above},
        {{BSynRecv, S::Bottom, 28}, {BEstablished, S::Top, -24}, R::VerticalSplit, 256,
         "rcv ACK of SYN", "", "", true, {164, 260}, below},
        {{BSynSent, S::Bottom, -28}, {BEstablished, S::Top, 24}, R::VerticalSplit, 256,
         "rcv SYN,ACK", "snd ACK", "", false, {364, 260}, below},
        // Giving up before the connection is established.
        {{BListen, S::Top, 24}, {BClosed, S::Bottom, 24}, R::Straight, 0,
         "close", "", "", true, {294, 75}, left},
        {{BSynSent, S::Top, -8}, {BClosed, S::Right, 8}, R::VerticalFirst, 0,
         "close", "", "", true, {452, 100}, left},
        {{BSynRecv, S::Top, -28}, {BListen, S::Left, -8}, R::VerticalFirst, 0,
         "rcv RST", "", "", true, {120, 108}, above},
        // Closing: the active side on the left, the passive side on the right.
        {{BSynRecv, S::Bottom, -28}, {BFinWait1, S::Top, -28}, R::Straight, 0,
         "close", "snd FIN", "", false, {52, 316}, left},
        {{BEstablished, S::Bottom, -30}, {BFinWait1, S::Right, -8}, R::VerticalFirst, 0,
         "close", "snd FIN", "", false, {176, 378}, above},
        {{BEstablished, S::Bottom, 30}, {BCloseWait, S::Left, -8}, R::VerticalFirst, 0,
         "rcv FIN", "snd ACK", "", false, {342, 378}, above},
        {{BFinWait1, S::Bottom, -28}, {BFinWait2, S::Top, -28}, R::Straight, 0,
         "rcv ACK of FIN", "", "", true, {52, 430}, left},
        {{BFinWait1, S::Right, 8}, {BClosing, S::Top, 0}, R::HorizontalFirst, 0,
         "rcv FIN", "snd ACK", "", false, {270, 426}, left},
        {{BFinWait2, S::Bottom, 0}, {BTimeWait, S::Left, 0}, R::VerticalFirst, 0,
         "rcv FIN", "snd ACK", "", false, {136, 536}, above},
        {{BClosing, S::Bottom, 0}, {BTimeWait, S::Top, 0}, R::Straight, 0,
         "rcv ACK of FIN", "", "", true, {250, 505}, right},
        {{BTimeWait, S::Right, 0}, {BClosedAgain, S::Left, 0}, R::Straight, 0,
         "timeout 2MSL", "", "", true, {358, 536}, above},
        {{BCloseWait, S::Bottom, 0}, {BLastAck, S::Top, 0}, R::Straight, 0,
         "close", "snd FIN", "", false, {440, 430}, right},
        {{BLastAck, S::Bottom, 0}, {BClosedAgain, S::Top, 0}, R::Straight, 0,
         "rcv ACK of FIN", "", "", true, {440, 505}, right},
    };
    // clang-format on
}

} // namespace

QString DiagramEdge::eventAndAction() const
{
    return action.isEmpty() ? event : event + QStringLiteral(" / ") + action;
}

QString DiagramEdge::text() const
{
    QString result = eventAndAction();
    if (!note.isEmpty())
        result += QStringLiteral(" (") + note + QLatin1Char(')');
    return result;
}

QStringList DiagramEdge::labelLines() const
{
    QStringList lines;
    if (!note.isEmpty())
        lines << note;
    if (action.isEmpty() || oneLine)
        lines << eventAndAction();
    else
        lines << event << action;
    return lines;
}

DiagramLayout::DiagramLayout()
{
    const auto add = [this](TcpState state, double x, double y, bool repeat = false) {
        m_boxes.append({state, boxAround(x, y), repeat});
    };
    // Same order as BoxId.
    add(TcpState::Close, kCentre, 30);
    add(TcpState::Listen, kCentre, 120);
    add(TcpState::SynRecv, kLeft, 215);
    add(TcpState::SynSent, kRight, 215);
    add(TcpState::Established, kCentre, 300);
    add(TcpState::FinWait1, kLeft, 390);
    add(TcpState::CloseWait, kRight, 390);
    add(TcpState::FinWait2, kLeft, 470);
    add(TcpState::Closing, kCentre, 470);
    add(TcpState::TimeWait, kCentre, 540);
    add(TcpState::LastAck, kRight, 470);
    add(TcpState::Close, kRight, 540, true);

    for (const EdgeSpec &spec : edgeSpecs()) {
        DiagramEdge edge;
        edge.fromBox = spec.from.box;
        edge.toBox = spec.to.box;
        edge.from = m_boxes.at(edge.fromBox).state;
        edge.to = m_boxes.at(edge.toBox).state;
        edge.event = QString::fromLatin1(spec.event);
        edge.action = QString::fromLatin1(spec.action);
        edge.note = QString::fromLatin1(spec.note);
        edge.oneLine = spec.oneLine;
        edge.route = routeBetween(portPoint(m_boxes, spec.from), portPoint(m_boxes, spec.to),
                                  spec.route, spec.bend);
        edge.labelAnchor = spec.anchor;
        edge.labelAlignment = spec.align;
        m_edges.append(edge);
    }
}

int DiagramLayout::primaryBox(TcpState state) const
{
    for (int i = 0; i < m_boxes.size(); ++i) {
        if (m_boxes.at(i).state == state && !m_boxes.at(i).repeat)
            return i;
    }
    return -1;
}

int DiagramLayout::boxAt(const QPointF &point) const
{
    for (int i = 0; i < m_boxes.size(); ++i) {
        if (m_boxes.at(i).rect.contains(point))
            return i;
    }
    return -1;
}

int DiagramLayout::edgeBetween(TcpState from, TcpState to) const
{
    for (int i = 0; i < m_edges.size(); ++i) {
        if (m_edges.at(i).from == from && m_edges.at(i).to == to)
            return i;
    }
    return -1;
}

QList<int> DiagramLayout::pathBetween(TcpState from, TcpState to) const
{
    if (from == to || from == TcpState::Unknown || to == TcpState::Unknown)
        return {};
    // Breadth-first over states; viaEdge[s] is the edge that first reached s.
    std::array<int, kTcpStateCount> viaEdge;
    viaEdge.fill(-1);
    QList<TcpState> frontier{from};
    bool found = false;
    while (!frontier.isEmpty() && !found) {
        QList<TcpState> next;
        for (TcpState state : std::as_const(frontier)) {
            for (int i = 0; i < m_edges.size(); ++i) {
                const DiagramEdge &edge = m_edges.at(i);
                const auto target = static_cast<std::size_t>(edge.to);
                if (edge.from != state || edge.to == from || viaEdge[target] >= 0)
                    continue;
                viaEdge[target] = i;
                next.append(edge.to);
                found = found || edge.to == to;
            }
        }
        frontier = next;
    }
    if (!found)
        return {};
    QList<int> path;
    for (TcpState state = to; state != from;) {
        const int edge = viaEdge[static_cast<std::size_t>(state)];
        path.prepend(edge);
        state = m_edges.at(edge).from;
    }
    return path;
}

DiagramTransform DiagramTransform::fit(const QSizeF &design, const QRectF &target)
{
    DiagramTransform transform;
    if (design.isEmpty() || target.isEmpty())
        return transform;
    const double across = target.width() / design.width();
    const double down = target.height() / design.height();
    transform.scale = std::min(across, down);
    transform.scaleX = std::min(across, transform.scale * kMaxStretch);
    transform.scaleY = std::min(down, transform.scale * kMaxStretch);
    const QSizeF used(design.width() * transform.scaleX, design.height() * transform.scaleY);
    transform.origin = target.topLeft() + QPointF((target.width() - used.width()) / 2,
                                                  (target.height() - used.height()) / 2);
    return transform;
}

QPolygonF DiagramTransform::map(const QPolygonF &polygon) const
{
    QPolygonF mapped;
    mapped.reserve(polygon.size());
    for (const QPointF &point : polygon)
        mapped.append(map(point));
    return mapped;
}

} // namespace sockscope
