// SPDX-License-Identifier: GPL-3.0-or-later
#include "labpanels/answerview.h"

#include "theme/statuscolors.h"

#include <QEvent>
#include <QScrollBar>

namespace sockscope {

namespace {
constexpr int kShownCulprits = 3;
}

AnswerView::AnswerView(QWidget *parent) : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("labAnswers"));
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setPlaceholderText(tr("Each command you run, from a button or the console line below, "
                          "appears here with the lab's answer."));
    connect(this, &QTextBrowser::anchorClicked, this, &AnswerView::onAnchor);
}

void AnswerView::addExchange(const QString &line, const ConsoleAnswer &answer)
{
    Exchange exchange{m_nextNumber++, line, answer, {}};
    if (answer.explanation)
        exchange.focus = focusOf(answer.explanation->culprits);
    m_exchanges << exchange;
    if (m_exchanges.size() > kMaxExchanges) {
        m_exchanges.removeFirst();
        render();
    } else {
        append(html(exchange));
    }
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

QString AnswerView::lastFocusLink() const
{
    for (auto it = m_exchanges.crbegin(); it != m_exchanges.crend(); ++it) {
        if (!it->focus.isEmpty())
            return QStringLiteral("focus:%1").arg(it->number);
    }
    return QString();
}

QString AnswerView::html(const Exchange &exchange) const
{
    const StatusColors colors = statusColors(palette());
    const ConsoleAnswer &answer = exchange.answer;
    QString html =
        QStringLiteral("<p style='margin-top:8px'><code style='color:%1'>&gt; %2</code><br>")
            .arg(colors.muted.name(), exchange.line.toHtmlEscaped());
    const QString verdict = answer.ok ? QStringLiteral("ok") : answer.errnoName;
    html += QStringLiteral("<b style='color:%1'>%2</b> %3")
                .arg((answer.ok ? colors.good : colors.bad).name(), verdict.toHtmlEscaped(),
                     answer.text.toHtmlEscaped());
    if (!answer.details.isEmpty()) {
        // Wrapped, or a long status line runs past a narrow dock's edge.
        html += QStringLiteral("<pre style='margin-top:2px; white-space:pre-wrap'>%1</pre>")
                    .arg(answer.details.join(QLatin1Char('\n')).toHtmlEscaped());
    }
    if (!exchange.focus.isEmpty()) {
        const QList<Culprit> &culprits = answer.explanation->culprits;
        QStringList named;
        for (const Culprit &culprit : culprits.mid(0, kShownCulprits))
            named << socketStateDisplayName(culprit.socket) + QLatin1Char(' ') +
                         connectionText(culprit.socket);
        if (culprits.size() > kShownCulprits)
            named << tr("%n more", nullptr, static_cast<int>(culprits.size()) - kShownCulprits);
        html += QStringLiteral("<br><a href='focus:%1'>%2</a> <span style='color:%3'>(%4)</span>")
                    .arg(exchange.number)
                    .arg(tr("select the responsible sockets"), colors.muted.name(),
                         named.join(QStringLiteral("; ")).toHtmlEscaped());
    }
    return html + QStringLiteral("</p>");
}

void AnswerView::render()
{
    QString all;
    for (const Exchange &exchange : std::as_const(m_exchanges))
        all += html(exchange);
    setHtml(all);
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

void AnswerView::changeEvent(QEvent *event)
{
    QTextBrowser::changeEvent(event);
    // The verdict colours depend on the theme: redraw with the new ones.
    if (event->type() == QEvent::PaletteChange && !m_exchanges.isEmpty())
        render();
}

void AnswerView::onAnchor(const QUrl &url)
{
    if (url.scheme() != QLatin1String("focus"))
        return;
    const int number = url.path().toInt();
    for (const Exchange &exchange : std::as_const(m_exchanges)) {
        if (exchange.number == number) {
            Q_EMIT focusRequested(exchange.focus.port, exchange.focus.cookies);
            return;
        }
    }
}

} // namespace sockscope
