// SPDX-License-Identifier: GPL-3.0-or-later
#include "panes/connectiontimeline.h"

#include "format/durationtext.h"

#include <algorithm>
#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

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
    const bool grows = markers.size() != m_markers.size();
    m_markers = markers;
    if (grows)
        updateGeometry();
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
    // Room for the durations, the strip and a few markers, one line each.
    const auto markers = std::clamp<qsizetype>(m_markers.size(), 1, kMarkerRowsWanted);
    return {420, static_cast<int>(fontMetrics().height() * (3 + markers)) + 8};
}

QSize ConnectionTimeline::minimumSizeHint() const
{
    return {120, fontMetrics().height() * 5};
}

std::int64_t ConnectionTimeline::endOf(const StateSpan &span) const
{
    return std::max(span.leftMs >= 0 ? span.leftMs : m_nowMs, span.enteredMs);
}

QString ConnectionTimeline::durationLabel(int index) const
{
    const StateSpan &span = m_history[index];
    const std::int64_t duration = endOf(span) - span.enteredMs;
    QString label = duration == 0 && span.leftMs >= 0 ? tr("<1 ms") : durationText(duration);
    if (index == 0 && m_lowerBound)
        label = QStringLiteral("≥ ") + label;
    if (span.leftMs < 0)
        label += tr(" (now)");
    return label;
}

ConnectionTimeline::Layout ConnectionTimeline::placement() const
{
    Layout result;
    if (m_history.isEmpty())
        return result;
    const QRectF area = QRectF(rect()).adjusted(6, 4, -6, -4);
    const int line = fontMetrics().height();
    const QRectF strip(area.left(), area.top() + line + 2, area.width(), line * 1.8);
    const std::int64_t start = m_history.first().enteredMs;
    const std::int64_t end = std::max(endOf(m_history.last()), start + 1);
    const double total = static_cast<double>(end - start);
    // Every span is at least as wide as its name, so a 5 ms FIN_WAIT1, or a
    // state the trace saw for microseconds, is still a readable step; time
    // shares out the rest. Names that cannot all fit share the strip by
    // length and elide (the tooltip has them whole).
    QList<double> minimums;
    double named = 0;
    for (const StateSpan &span : m_history) {
        minimums << fontMetrics().horizontalAdvance(tcpStateDisplayName(span.state)) + 10.0;
        named += minimums.last();
    }
    const double scale = named > strip.width() ? strip.width() / named : 1.0;
    const double spare = std::max(0.0, strip.width() - named * scale);
    double x = strip.left();
    for (int i = 0; i < m_history.size(); ++i) {
        const StateSpan &span = m_history[i];
        const double duration = static_cast<double>(endOf(span) - span.enteredMs);
        const double width = minimums[i] * scale + spare * duration / total;
        result.spans << QRectF(x, strip.top(), width - 2, strip.height());
        result.durations << QRectF(x, area.top(), width - 2, line);
        x += width;
    }
    // Markers below the strip, one line each; when they outnumber the lines
    // the last line says how many more (its tooltip lists them).
    QList<int> shown;
    for (int i = 0; i < m_markers.size(); ++i) {
        if (m_markers[i].timeMs >= start)
            shown << i;
    }
    const double top = strip.bottom() + 4;
    const auto rows = static_cast<qsizetype>(std::max(0.0, (area.bottom() - top) / line));
    const qsizetype drawn = shown.size() > rows ? std::max<qsizetype>(rows - 1, 0) : shown.size();
    for (qsizetype row = 0; row < drawn; ++row) {
        const int index = shown[row];
        const double at = markerX(result, m_markers[index].timeMs);
        const double y = top + static_cast<double>(row) * line;
        // Text on the side with more room, so recent markers stay readable.
        const bool leftSide = at > area.center().x();
        result.markerTexts << (leftSide ? QRectF(area.left(), y, at - area.left() - 3, line)
                                        : QRectF(at + 3, y, area.right() - at - 3, line));
        result.markerIndexes << index;
        result.markerXs << at;
    }
    // A marker's line runs down past the rows above it: their texts stop
    // short of it rather than be crossed.
    for (qsizetype row = 0; row < drawn; ++row) {
        QRectF &box = result.markerTexts[row];
        const double at = result.markerXs[row];
        for (qsizetype below = row + 1; below < drawn; ++below) {
            const double crossing = result.markerXs[below];
            if (crossing > at && crossing - 3 < box.right())
                box.setRight(crossing - 3);
            else if (crossing < at && crossing + 3 > box.left())
                box.setLeft(crossing + 3);
        }
    }
    result.hiddenMarkers = shown.mid(drawn);
    if (!result.hiddenMarkers.isEmpty() && rows > 0)
        result.more =
            QRectF(area.left(), top + static_cast<double>(drawn) * line, area.width(), line);
    return result;
}

// A time on the strip's own axis: inside the span that holds it, in
// proportion; a zero-length span's events sit at its middle.
double ConnectionTimeline::markerX(const Layout &placed, std::int64_t timeMs) const
{
    for (int i = static_cast<int>(m_history.size()) - 1; i >= 0; --i) {
        const StateSpan &span = m_history[i];
        if (timeMs < span.enteredMs)
            continue;
        const std::int64_t duration = endOf(span) - span.enteredMs;
        const double fraction = duration > 0
                                    ? std::min(1.0, static_cast<double>(timeMs - span.enteredMs) /
                                                        static_cast<double>(duration))
                                    : 0.5;
        return placed.spans[i].left() + placed.spans[i].width() * fraction;
    }
    return placed.spans.first().left();
}

QString ConnectionTimeline::toolTipAt(const QPointF &point) const
{
    const Layout at = placement();
    for (int i = 0; i < at.spans.size(); ++i) {
        if (at.spans[i].contains(point) || at.durations[i].contains(point))
            return QStringLiteral("%1 · %2").arg(tcpStateDisplayName(m_history[i].state),
                                                 durationLabel(i));
    }
    for (int i = 0; i < at.markerTexts.size(); ++i) {
        if (at.markerTexts[i].contains(point))
            return m_markers[at.markerIndexes[i]].text;
    }
    if (!at.more.contains(point))
        return {};
    QStringList rest;
    for (const int index : at.hiddenMarkers)
        rest << m_markers[index].text;
    return rest.join(QLatin1Char('\n'));
}

bool ConnectionTimeline::event(QEvent *event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    const auto *help = static_cast<QHelpEvent *>(event);
    const QString text = toolTipAt(help->pos());
    if (text.isEmpty()) {
        QToolTip::hideText();
        event->ignore();
    } else {
        QToolTip::showText(help->globalPos(), text, this);
    }
    return true;
}

void ConnectionTimeline::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    if (m_history.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(QRectF(rect()).adjusted(6, 4, -6, -4), Qt::AlignCenter | Qt::TextWordWrap,
                         tr("Select a connection to see its timeline"));
        return;
    }
    const Layout at = placement();
    const QFontMetrics metrics = fontMetrics();
    const auto elided = [&metrics](const QString &text, const QRectF &box) {
        return metrics.elidedText(text, Qt::ElideRight, static_cast<int>(box.width()));
    };
    for (int i = 0; i < at.spans.size(); ++i) {
        const QRectF &box = at.spans[i];
        painter.setPen(Qt::NoPen);
        painter.setBrush(stateColor(m_history[i].state));
        painter.drawRoundedRect(box, 3, 3);
        painter.setPen(Qt::white);
        const QRectF inside = box.adjusted(3, 0, -3, 0);
        painter.drawText(inside, Qt::AlignCenter,
                         elided(tcpStateDisplayName(m_history[i].state), inside));
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(at.durations[i], Qt::AlignLeft | Qt::AlignVCenter,
                         elided(durationLabel(i), at.durations[i]));
    }
    const double stripBottom = at.spans.first().bottom();
    for (int i = 0; i < at.markerTexts.size(); ++i) {
        const Marker &marker = m_markers[at.markerIndexes[i]];
        const QRectF &box = at.markerTexts[i];
        const double x = at.markerXs[i];
        const bool leftSide = box.right() <= x;
        painter.setPen(marker.error ? QColor(210, 50, 50) : palette().color(QPalette::Text));
        painter.drawLine(QPointF(x, stripBottom), QPointF(x, box.center().y()));
        painter.drawText(box, (leftSide ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter,
                         elided(marker.text, box));
    }
    if (!at.more.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(at.more, Qt::AlignLeft | Qt::AlignVCenter,
                         elided(tr("+%n more (hover to read)", nullptr,
                                   static_cast<int>(at.hiddenMarkers.size())),
                                at.more));
    }
}

} // namespace sockscope
