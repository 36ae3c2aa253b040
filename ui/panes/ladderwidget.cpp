// SPDX-License-Identifier: GPL-3.0-or-later
#include "panes/ladderwidget.h"

#include "format/durationtext.h"
#include "panes/connectiontimeline.h"
#include "theme/statuscolors.h"

#include <algorithm>
#include <cmath>
#include <QEvent>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace sockscope {

namespace {
constexpr double kNsPerMs = 1e6;

bool isMark(const ConnectionStep &step)
{
    return step.kind == EventKind::Appeared || step.kind == EventKind::StateChanged ||
           step.kind == EventKind::Gone;
}
} // namespace

LadderWidget::LadderWidget(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    relayout();
}

void LadderWidget::clear()
{
    setEnds({}, {}, false);
}

void LadderWidget::setEnds(const End &self, const End &peer, bool peerKnown)
{
    m_ends = {self, peer};
    m_peerKnown = peerKnown;
    m_ladder = deriveLadder(self.steps, peerKnown ? peer.steps : QList<ConnectionStep>{});
    m_marks.clear();
    for (int side = 0; side < 2; ++side) {
        for (const ConnectionStep &step : m_ends[static_cast<std::size_t>(side)].steps) {
            if (!isMark(step))
                continue;
            const TcpState state = step.kind == EventKind::Gone ? TcpState::Unknown : step.to;
            const QString process =
                step.pid > 0 ? QStringLiteral("%1 (pid %2)").arg(step.command).arg(step.pid)
                             : QString();
            m_marks << Mark{side, step.timeNs, state, process};
        }
    }
    m_times.clear();
    for (const Mark &mark : std::as_const(m_marks))
        m_times.push_back(mark.timeNs);
    for (const LadderSegment &segment : m_ladder.segments) {
        for (const std::int64_t ns : {segment.sentNs, segment.receivedNs}) {
            if (ns >= 0)
                m_times.push_back(ns);
        }
    }
    std::sort(m_times.begin(), m_times.end());
    m_times.erase(std::unique(m_times.begin(), m_times.end()), m_times.end());
    m_originNs = m_times.empty() ? 0 : m_times.front();
    relayout();
}

QString LadderWidget::timeText(std::int64_t timeNs) const
{
    // A handshake lies microseconds apart, a close may come a minute later:
    // microseconds where they tell, the window's durations beyond a second.
    const std::int64_t sinceNs = timeNs - m_originNs;
    if (sinceNs >= 1000 * kNsPerMs)
        return QLatin1Char('+') + durationText(static_cast<std::int64_t>(sinceNs / kNsPerMs));
    return QStringLiteral("+%1 ms").arg(static_cast<double>(sinceNs) / kNsPerMs, 0, 'f', 3);
}

QString LadderWidget::markText(const Mark &mark) const
{
    return tcpStateDisplayName(mark.state == TcpState::Unknown ? TcpState::Close : mark.state);
}

QStringList LadderWidget::headerLines(int side) const
{
    const auto index = static_cast<std::size_t>(side);
    QStringList roles{openRoleName(m_ladder.open[index]), closeRoleName(m_ladder.close[index])};
    roles.removeAll(QString());
    if (side == 1 && !m_peerKnown)
        roles.prepend(tr("remote peer"));
    while (roles.size() < 2)
        roles << QString();
    return {m_ends[index].address, roles[0], roles.mid(1).join(QStringLiteral(" · "))};
}

void LadderWidget::relayout()
{
    const QFontMetrics fm = fontMetrics();
    m_labelWidth = fm.horizontalAdvance(QStringLiteral("ESTABLISHED"));
    for (const Mark &mark : std::as_const(m_marks)) {
        m_labelWidth = std::max(m_labelWidth, fm.horizontalAdvance(markText(mark)));
        m_labelWidth = std::max(m_labelWidth, fm.horizontalAdvance(timeText(mark.timeNs)));
    }
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics boldFm(bold);
    m_headerWidth = 0;
    for (int side = 0; side < 2; ++side) {
        const QStringList lines = headerLines(side);
        m_headerWidth = std::max(
            {m_headerWidth, boldFm.horizontalAdvance(lines[0]), fm.horizontalAdvance(lines[1])});
    }
    const int em = fm.horizontalAdvance(QLatin1Char('M'));
    m_gap = std::max(fm.horizontalAdvance(QStringLiteral("SYN,ACK")) + 4 * em, m_headerWidth + em);
    setMinimumSize(minimumSizeHint());
    updateGeometry();
    update();
}

QSize LadderWidget::minimumSizeHint() const
{
    const QFontMetrics fm = fontMetrics();
    const int margin = fm.horizontalAdvance(QLatin1Char('M'));
    // Nothing shown but a sentence that wraps to any width.
    if (m_ends[0].address.isEmpty())
        return {10 * margin, 6 * fm.lineSpacing()};
    const int half = std::max(m_labelWidth + margin, (m_headerWidth + 1) / 2);
    const int rows = std::max<int>(3, static_cast<int>(m_times.size()));
    const int legend = hasPartial() ? kLegendLines * fm.lineSpacing() : 0;
    return {2 * margin + 2 * half + m_gap, rowY(rows - 1) + 2 * fm.lineSpacing() + legend + margin};
}

QSize LadderWidget::sizeHint() const
{
    return minimumSizeHint();
}

bool LadderWidget::hasPartial() const
{
    return std::any_of(m_ladder.segments.cbegin(), m_ladder.segments.cend(),
                       [](const LadderSegment &s) { return s.sentNs < 0 || s.receivedNs < 0; });
}

QString LadderWidget::legendText() const
{
    return tr("Dashed: an end did not tell when. A remote peer is not seen; Linux reports "
              "SYN_RECV only once the handshake's ACK is in, and a poll sees a state late.");
}

int LadderWidget::rowOf(std::int64_t timeNs) const
{
    return static_cast<int>(std::lower_bound(m_times.begin(), m_times.end(), timeNs) -
                            m_times.begin());
}

int LadderWidget::rowY(int row) const
{
    const QFontMetrics fm = fontMetrics();
    const int header = 4 * fm.lineSpacing();
    return header + fm.lineSpacing() + row * (2 * fm.lineSpacing() + 6);
}

bool LadderWidget::event(QEvent *event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    // Which process made a transition: in a tooltip, the lines stay narrow.
    const QPoint at = static_cast<QHelpEvent *>(event)->pos();
    const int line = fontMetrics().lineSpacing();
    for (const Mark &mark : std::as_const(m_marks)) {
        const int y = rowY(rowOf(mark.timeNs));
        const bool sameSide = (at.x() < width() / 2) == (mark.side == 0);
        if (sameSide && at.y() >= y - line && at.y() <= y + line) {
            QToolTip::showText(static_cast<QHelpEvent *>(event)->globalPos(),
                               mark.process.isEmpty()
                                   ? tr("%1: by the kernel itself").arg(markText(mark))
                                   : tr("%1: by a call of %2").arg(markText(mark), mark.process),
                               this);
            return true;
        }
    }
    QToolTip::hideText();
    event->ignore();
    return true;
}

void LadderWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange)
        relayout();
    QWidget::changeEvent(event);
}

void LadderWidget::paintHeader(QPainter &painter, int side, int x) const
{
    const QFontMetrics fm = fontMetrics();
    const QStringList lines = headerLines(side);
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(palette().color(QPalette::Text));
    const int width = m_headerWidth;
    painter.drawText(QRect(x - width / 2, 0, width, fm.lineSpacing()), Qt::AlignCenter, lines[0]);
    painter.setFont(font());
    painter.setPen(statusColors(palette()).muted);
    for (int line = 1; line < 3; ++line)
        painter.drawText(QRect(x - width / 2, line * fm.lineSpacing(), width, fm.lineSpacing()),
                         Qt::AlignCenter, lines[line]);
}

void LadderWidget::paintMark(QPainter &painter, const Mark &mark, int x, int side) const
{
    const QFontMetrics fm = fontMetrics();
    const int y = rowY(rowOf(mark.timeNs));
    const int radius = std::max(3, fm.height() / 5);
    painter.setPen(Qt::NoPen);
    painter.setBrush(ConnectionTimeline::stateColor(mark.state));
    painter.drawEllipse(QPoint(x, y), radius, radius);
    const int gap = fm.horizontalAdvance(QLatin1Char('M')) / 2 + radius;
    const QRect first =
        side == 0 ? QRect(x - gap - m_labelWidth, y - fm.lineSpacing() / 2, m_labelWidth,
                          fm.lineSpacing())
                  : QRect(x + gap, y - fm.lineSpacing() / 2, m_labelWidth, fm.lineSpacing());
    const Qt::Alignment align = (side == 0 ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter;
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(first, align, markText(mark));
    painter.setPen(statusColors(palette()).muted);
    painter.drawText(first.translated(0, fm.lineSpacing()), align, timeText(mark.timeNs));
}

void LadderWidget::paintSegment(QPainter &painter, const LadderSegment &segment, int fromX,
                                int toX) const
{
    const QFontMetrics fm = fontMetrics();
    const int half = fm.lineSpacing();
    // An end that did not tell its time: the arrow stops short of it, dashed.
    const int y1 =
        segment.sentNs >= 0 ? rowY(rowOf(segment.sentNs)) : rowY(rowOf(segment.receivedNs)) - half;
    const int y2 = segment.receivedNs >= 0 ? rowY(rowOf(segment.receivedNs)) : y1 + half;
    const StatusColors colors = statusColors(palette());
    QColor color = palette().color(QPalette::Link);
    if (segment.kind == SegmentKind::Fin)
        color = colors.warning;
    else if (segment.kind == SegmentKind::Rst)
        color = colors.bad;
    const bool partial = segment.sentNs < 0 || segment.receivedNs < 0;
    painter.setPen(QPen(color, std::max(1.5, fm.height() / 10.0),
                        partial ? Qt::DashLine : Qt::SolidLine, Qt::RoundCap));
    const QLineF line(fromX, y1, toX, y2);
    painter.drawLine(line);
    // The head: two short strokes back from the receiving end.
    const double angle = std::atan2(line.dy(), line.dx());
    const double length = fm.height() * 0.6;
    painter.setPen(QPen(color, std::max(1.5, fm.height() / 10.0), Qt::SolidLine, Qt::RoundCap));
    for (const double side : {-0.45, 0.45}) {
        const QPointF tip = line.p2();
        painter.drawLine(
            tip, tip - QPointF(std::cos(angle + side) * length, std::sin(angle + side) * length));
    }
    QString label = segmentName(segment.kind);
    const QRectF box = QRectF(fm.boundingRect(label)).adjusted(-4, -1, 4, 1);
    const QRectF placed(line.center() - box.center() - QPointF(0, fm.height() * 0.6), box.size());
    painter.setPen(Qt::NoPen);
    painter.setBrush(palette().color(QPalette::Base));
    painter.drawRoundedRect(placed, 3, 3);
    painter.setPen(color);
    painter.drawText(placed, Qt::AlignCenter, label);
}

void LadderWidget::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    if (m_ends[0].address.isEmpty()) {
        painter.setPen(statusColors(palette()).muted);
        painter.drawText(rect().adjusted(8, 8, -8, -8),
                         Qt::AlignTop | Qt::AlignLeft | Qt::TextWordWrap,
                         tr("Select a connection (not a listener) to see the segments between its "
                            "two ends."));
        return;
    }
    const QFontMetrics fm = fontMetrics();
    const int margin = fm.horizontalAdvance(QLatin1Char('M'));
    const int half = std::max(m_labelWidth + margin, (m_headerWidth + 1) / 2);
    const std::array<int, 2> x{margin + half, width() - margin - half};
    for (int side = 0; side < 2; ++side) {
        const int lineX = x[static_cast<std::size_t>(side)];
        paintHeader(painter, side, lineX);
        QPen pen(statusColors(palette()).muted, 1.0);
        if (side == 1 && !m_peerKnown)
            pen.setStyle(Qt::DashLine);
        painter.setPen(pen);
        painter.drawLine(lineX, 3 * fm.lineSpacing() + 4, lineX, height() - margin);
    }
    for (const LadderSegment &segment : m_ladder.segments) {
        const auto from = static_cast<std::size_t>(segment.sender);
        paintSegment(painter, segment, x[from], x[1 - from]);
    }
    for (const Mark &mark : std::as_const(m_marks))
        paintMark(painter, mark, x[static_cast<std::size_t>(mark.side)], mark.side);
    if (hasPartial()) {
        const int rows = std::max<int>(3, static_cast<int>(m_times.size()));
        const QRect legend(margin, rowY(rows - 1) + 2 * fm.lineSpacing(), width() - 2 * margin,
                           kLegendLines * fm.lineSpacing());
        painter.fillRect(legend, palette().color(QPalette::Base));
        painter.setPen(statusColors(palette()).muted);
        painter.drawText(legend, Qt::AlignTop | Qt::AlignLeft | Qt::TextWordWrap, legendText());
    }
    if (m_marks.isEmpty() && m_ladder.segments.empty()) {
        // Between the lines, where the ladder's width leaves room for it.
        painter.setPen(statusColors(palette()).muted);
        painter.drawText(
            QRect(x[0] + margin, rowY(0) - fm.lineSpacing(), x[1] - x[0] - 2 * margin, height()),
            Qt::AlignTop | Qt::AlignHCenter | Qt::TextWordWrap,
            tr("No transition seen yet: it was there before watching began."));
    }
}

} // namespace sockscope
