// SPDX-License-Identifier: GPL-3.0-or-later
#include "panes/connectiondetails.h"

#include "diagram/statehelp.h"
#include "format/durationtext.h"
#include "format/ownertext.h"
#include "itemmodels/historymodel.h"
#include "panes/ladderwidget.h"

#include <QLabel>
#include <QScrollArea>
#include <QTabWidget>
#include <QTextDocument>
#include <QVBoxLayout>

namespace sockscope {

namespace {
QScrollArea *scrolling(QWidget *inner, QWidget *parent)
{
    auto *scroll = new QScrollArea(parent);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(inner);
    return scroll;
}

QString row(const QString &name, const QString &value)
{
    return QStringLiteral("<tr><td style='padding-right:8px'><b>%1</b></td><td>%2</td></tr>")
        .arg(name, value.toHtmlEscaped());
}
} // namespace

ConnectionDetails::ConnectionDetails(QWidget *parent)
    : QWidget(parent), m_summary(new QLabel), m_timeline(new ConnectionTimeline),
      m_ladder(new LadderWidget), m_tabs(new QTabWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_tabs->setObjectName(QStringLiteral("detailsTabs"));
    m_tabs->setDocumentMode(true);
    // The summary above the timeline as before; the ladder needs the height.
    auto *page = new QWidget(m_tabs);
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(0, 4, 0, 0);
    pageLayout->addWidget(scrolling(m_summary, page), 1);
    pageLayout->addWidget(m_timeline);
    m_tabs->addTab(page, tr("Details"));
    m_tabs->addTab(scrolling(m_ladder, m_tabs), tr("Ladder"));
    layout->addWidget(m_tabs);
    clear();
}

void ConnectionDetails::clear()
{
    m_summary->setText(tr("<i>Select a socket in the table (or an ended connection in History) "
                          "to see its details, its path through the state diagram and the "
                          "segments between its two ends.</i>"));
    m_timeline->clear();
    m_ladder->clear();
}

QString ConnectionDetails::summaryText() const
{
    QTextDocument document;
    document.setHtml(m_summary->text());
    return document.toPlainText();
}

void ConnectionDetails::showLadderTab()
{
    m_tabs->setCurrentIndex(1);
}

void ConnectionDetails::showConnection(const ConnectionEntry &entry, const ConnectionEntry *peer,
                                       std::int64_t nowMs,
                                       const QList<ConnectionTimeline::Marker> &markers)
{
    const ConnectionView &view = entry.view;
    const SocketRecord &s = view.socket;
    QString html;
    if (entry.ended()) {
        // Its last state's meaning ("waiting for the ACK of our FIN") would
        // read as if it were still waiting.
        html = QStringLiteral("<p><b style='font-size:large'>%1</b> &nbsp;%2</p><p><b>%3</b></p>")
                   .arg(tcpStateDisplayName(TcpState::Close),
                        tr("the connection is over; it was last seen in %1")
                            .arg(socketStateDisplayName(s))
                            .toHtmlEscaped(),
                        endedAtText(entry.endedMs, nowMs).toHtmlEscaped());
    } else {
        html = QStringLiteral("<p><b style='font-size:large'>%1</b> &nbsp;%2</p>")
                   .arg(socketStateDisplayName(s), tcpStateMeaning(s.state).toHtmlEscaped());
    }
    html += QStringLiteral("<table>");
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
    if (peer) {
        // Both ends on this machine: the other socket of the same connection.
        const SocketRecord &p = peer->view.socket;
        QString state = socketStateDisplayName(p);
        if (peer->ended())
            state += QStringLiteral(" (") + endedAtText(peer->endedMs, nowMs) + QLatin1Char(')');
        html += QStringLiteral("<tr><td colspan='2'><b>%1</b></td></tr>")
                    .arg(tr("Other end, on this machine"));
        html += row(tr("State"), state);
        html += row(tr("Local"), p.local.text(p.family));
        html += row(tr("Owner"), ownerText(peer->view.owner));
    }
    html += QStringLiteral("</table>");
    m_summary->setText(html);
    m_timeline->setNow(nowMs);
    m_timeline->setHistory(view.history, view.stateSinceIsLowerBound && view.history.size() == 1);
    m_timeline->setMarkers(markers);
    // A listener has no other end: its connections have.
    if (s.remote.port == 0) {
        m_ladder->clear();
        return;
    }
    const LadderWidget::End self{s.local.text(s.family), entry.steps};
    const LadderWidget::End other{s.remote.text(s.family),
                                  peer ? peer->steps : QList<ConnectionStep>{}};
    m_ladder->setEnds(self, other, peer != nullptr);
}

} // namespace sockscope
