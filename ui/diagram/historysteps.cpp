// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/historysteps.h"

#include "diagram/diagramlayout.h"
#include "diagram/statehelp.h"
#include "format/durationtext.h"

#include <QCoreApplication>

namespace sockscope {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("HistorySteps", text);
}
} // namespace

HistorySteps::HistorySteps(const QList<StateSpan> &history, const DiagramLayout &layout)
    : m_history(history)
{
    for (qsizetype i = 1; i < history.size(); ++i) {
        const StateSpan &before = history[i - 1];
        const StateSpan &after = history[i];
        if (before.state == after.state)
            continue;
        HistoryStep step{before.state,
                         after.state,
                         after.enteredMs - history.first().enteredMs,
                         layout.pathBetween(before.state, after.state),
                         {}};
        if (step.edges.size() == 1)
            step.how = layout.edges().at(step.edges.first()).eventAndAction();
        m_steps.append(step);
    }
}

TcpState HistorySteps::firstState() const
{
    return m_history.isEmpty() ? TcpState::Unknown : m_history.first().state;
}

TcpState HistorySteps::stateAfter(int step) const
{
    return step <= 0 || step > count() ? firstState() : at(step).to;
}

QString HistorySteps::caption(int step) const
{
    if (m_history.isEmpty())
        return {};
    if (count() == 0)
        return tr("first seen in %1, no change of state since")
            .arg(tcpStateFigureName(firstState()));
    if (step <= 0 || step > count())
        return tr("step 0 of %1: first seen in %2")
            .arg(count())
            .arg(tcpStateFigureName(firstState()));
    const HistoryStep &s = at(step);
    QString text =
        tr("step %1 of %2: %3 → %4 at +%5")
            .arg(step)
            .arg(count())
            .arg(tcpStateFigureName(s.from), tcpStateFigureName(s.to), durationText(s.atMs));
    // The arrow's label, which a small diagram leaves out.
    if (!s.how.isEmpty())
        text += QStringLiteral(" · ") + s.how;
    return text;
}

} // namespace sockscope
