// SPDX-License-Identifier: GPL-3.0-or-later
#include "panes/connectiontimeline.h"

#include "format/durationtext.h"

#include <algorithm>
#include <QPainter>
#include <QPainterPath>

namespace sockscope {

ConnectionTimeline::ConnectionTimeline(QWidget *parent) : QWidget(parent) {}

QColor ConnectionTimeline::stateColor(TcpState state)
{
    switch (state) {
    case TcpState::Listen:
        return QColor(52, 120, 198);
    case TcpState::SynSent:
    case TcpState::SynRecv:
        return QColor(142, 110, 200);
    case TcpState::Established:
        return QColor(56, 160, 80);
    case TcpState::FinWait1:
    case TcpState::FinWait2:
        return QColor(230, 150, 40);
    case TcpState::Closing:
    case TcpState::LastAck:
        return QColor(200, 110, 60);
    case TcpState::TimeWait:
        return QColor(130, 130, 140);
    case TcpState::CloseWait:
        return QColor(210, 60, 60);
    default:
        return QColor(110, 110, 110);
    }
}

void ConnectionTimeline::setHistory(const QList<StateSpan> &history, bool firstIsLowerBound)
{
    m_history = history;
    m_lowerBound = firstIsLowerBound;
    update();
}

void ConnectionTimeline::setMarkers(const QList<Marker> &markers)
{
    m_markers = markers;
    update();
}

void ConnectionTimeline::setNow(std::int64_t nowMs)
{
    m_nowMs = nowMs;
    if (!m_history.isEmpty() && m_history.last().leftMs < 0)
        update();
}

void ConnectionTimeline::clear()
{
    m_history.clear();
    m_markers.clear();
    update();
}

QSize ConnectionTimeline::sizeHint() const
{
    return {420, fontMetrics().height() * 6};
}

QSize ConnectionTimeline::minimumSizeHint() const
{
    return {200, fontMetrics().height() * 5};
}

void ConnectionTimeline::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(6, 4, -6, -4);
    if (m_history.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap,
                         tr("Select a connection to see its timeline"));
        return;
    }
    const std::int64_t start = m_history.first().enteredMs;
    const auto endOf = [this](const StateSpan &span) {
        return std::max(span.leftMs >= 0 ? span.leftMs : m_nowMs, span.enteredMs);
    };
    const std::int64_t end = std::max(endOf(m_history.last()), start + 1);
    const double total = static_cast<double>(end - start);
    const int line = fontMetrics().height();
    const QRectF strip(area.left(), area.top() + line + 2, area.width(), line * 1.8);
    // Every span gets a minimum width so a 5 ms FIN_WAIT1, or a state the trace
    // saw for a few microseconds (entered and left in the same millisecond), is
    // still its own step.
    const double minimum = std::min(48.0, strip.width() / m_history.size());
    const double spare = strip.width() - minimum * m_history.size();
    QList<double> lefts; // each span's left edge, for placing markers in it
    double x = strip.left();
    for (int i = 0; i < m_history.size(); ++i) {
        const StateSpan &span = m_history[i];
        const std::int64_t duration = endOf(span) - span.enteredMs;
        const double width = minimum + spare * (static_cast<double>(duration) / total);
        lefts << x;
        const QRectF box(x, strip.top(), width - 2, strip.height());
        painter.setPen(Qt::NoPen);
        painter.setBrush(stateColor(span.state));
        painter.drawRoundedRect(box, 3, 3);
        painter.setPen(Qt::white);
        painter.drawText(box.adjusted(3, 0, -3, 0), Qt::AlignCenter,
                         fontMetrics().elidedText(tcpStateName(span.state), Qt::ElideRight,
                                                  static_cast<int>(box.width()) - 6));
        painter.setPen(palette().color(QPalette::Text));
        QString label = duration == 0 && span.leftMs >= 0 ? tr("<1 ms") : durationText(duration);
        if (i == 0 && m_lowerBound)
            label = QStringLiteral("≥ ") + label;
        if (span.leftMs < 0)
            label += tr(" (now)");
        painter.drawText(
            QRectF(box.left(), area.top(), box.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
            fontMetrics().elidedText(label, Qt::ElideRight, static_cast<int>(box.width())));
        x += width;
    }
    lefts << x;
    // A time on the strip's own axis: inside the span that holds it, in
    // proportion; a zero-length span's events sit at its middle.
    const auto xAt = [&](std::int64_t timeMs) {
        for (int i = m_history.size() - 1; i >= 0; --i) {
            const StateSpan &span = m_history[i];
            if (timeMs < span.enteredMs)
                continue;
            const std::int64_t duration = endOf(span) - span.enteredMs;
            const double fraction =
                duration > 0 ? std::min(1.0, static_cast<double>(timeMs - span.enteredMs) /
                                                 static_cast<double>(duration))
                             : 0.5;
            return lefts[i] + (lefts[i + 1] - 2 - lefts[i]) * fraction;
        }
        return strip.left();
    };
    // Markers (lab actions, resets) below the strip, on the same time axis.
    double y = strip.bottom() + 4;
    for (const Marker &marker : m_markers) {
        if (marker.timeMs < start || y + line > area.bottom())
            continue;
        const double at = xAt(marker.timeMs);
        painter.setPen(marker.error ? QColor(210, 50, 50) : palette().color(QPalette::Text));
        painter.drawLine(QPointF(at, strip.bottom()), QPointF(at, y + line / 2.0));
        // Text on the side with more room, so recent markers stay readable.
        const bool leftSide = at > area.center().x();
        const QRectF box = leftSide ? QRectF(area.left(), y, at - area.left() - 3, line)
                                    : QRectF(at + 3, y, area.right() - at - 3, line);
        painter.drawText(
            box, (leftSide ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter,
            fontMetrics().elidedText(marker.text, Qt::ElideRight, static_cast<int>(box.width())));
        y += line;
    }
}

} // namespace sockscope
