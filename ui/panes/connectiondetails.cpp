// SPDX-License-Identifier: GPL-3.0-or-later
#include "panes/connectiondetails.h"

#include "diagram/statehelp.h"
#include "format/durationtext.h"
#include "format/ownertext.h"

#include <QLabel>
#include <QVBoxLayout>

namespace sockscope {

ConnectionDetails::ConnectionDetails(QWidget *parent)
    : QWidget(parent), m_summary(new QLabel(this)), m_timeline(new ConnectionTimeline(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(m_summary, 1);
    layout->addWidget(m_timeline);
    clear();
}

void ConnectionDetails::clear()
{
    m_summary->setText(tr("<i>Select a socket in the table to see its details and its path "
                          "through the state diagram.</i>"));
    m_timeline->clear();
}

void ConnectionDetails::showConnection(const ConnectionView &view, std::int64_t nowMs,
                                       const QList<ConnectionTimeline::Marker> &markers)
{
    const SocketRecord &s = view.socket;
    const auto row = [](const QString &name, const QString &value) {
        return QStringLiteral("<tr><td style='padding-right:8px'><b>%1</b></td><td>%2</td></tr>")
            .arg(name, value.toHtmlEscaped());
    };
    QString html = QStringLiteral("<p><b style='font-size:large'>%1</b> &nbsp;%2</p><table>")
                       .arg(socketStateDisplayName(s), tcpStateMeaning(s.state).toHtmlEscaped());
    html += row(tr("Local"), s.local.text(s.family));
    html += row(tr("Peer"), s.remote.text(s.family));
    html += row(tr("Owner"), ownerText(view.owner));
    html += row(tr("Queues"), tr("receive %1, send %2").arg(s.recvQ).arg(s.sendQ));
    if (s.timer != TimerKind::Off)
        html += row(tr("Timer"), m_timerText.isEmpty() ? timerText(s) : m_timerText);
    html +=
        row(tr("Socket"), tr("uid %1, inode %2, cookie %3").arg(s.uid).arg(s.inode).arg(s.cookie));
    if (s.info)
        html += row(
            tr("tcp_info"),
            tr("rtt %1 ms, cwnd %2").arg(s.info->rttUs / 1000.0, 0, 'f', 2).arg(s.info->sendCwnd));
    html += QStringLiteral("</table>");
    m_summary->setText(html);
    m_timeline->setNow(nowMs);
    m_timeline->setHistory(view.history, view.stateSinceIsLowerBound && view.history.size() == 1);
    m_timeline->setMarkers(markers);
}

} // namespace sockscope
