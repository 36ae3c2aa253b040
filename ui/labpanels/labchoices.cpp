// SPDX-License-Identifier: GPL-3.0-or-later
#include "labpanels/labchoices.h"

#include "lab/labtypes.h"

#include <QComboBox>
#include <QCoreApplication>

namespace sockscope {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("sockscope::LabChoices", text);
}
} // namespace

QList<LabChoice> acceptModeChoices()
{
    return {
        {acceptModeName(AcceptMode::Auto), tr("accept, and read until the peer closes")},
        {acceptModeName(AcceptMode::Pause),
         tr("do not accept: the accept queue (the LISTEN row's Recv-Q) fills")},
        {acceptModeName(AcceptMode::Close),
         tr("accept and close at once: the server of S4 (its side goes FIN_WAIT2)")},
        {acceptModeName(AcceptMode::Hold), tr("accept and keep the connection, never reading")},
    };
}

QList<LabChoice> closePolicyChoices()
{
    return {
        {closePolicyName(ClosePolicy::Keep),
         tr("stay open; close when the peer closes, like a well-behaved client")},
        {closePolicyName(ClosePolicy::Close), tr("close() at once: this side ends in TIME_WAIT")},
        {closePolicyName(ClosePolicy::HalfClose), tr("shutdown(SHUT_WR): send FIN, keep reading")},
        {closePolicyName(ClosePolicy::Reset), tr("SO_LINGER 0, then close: RST, no TIME_WAIT")},
        {closePolicyName(ClosePolicy::NeverClose),
         tr("keep the socket after the peer's FIN: CLOSE_WAIT forever, a leak (S4)")},
    };
}

QList<LabChoice> acceptErrorPolicyChoices()
{
    return {
        {acceptErrorPolicyName(AcceptErrorPolicy::Spin),
         tr("retry accept() at once when it fails: burns a core on EMFILE (S2)")},
        {acceptErrorPolicyName(AcceptErrorPolicy::Backoff),
         tr("retry after 5 ms, doubling up to 1 s")},
        {acceptErrorPolicyName(AcceptErrorPolicy::Cap),
         tr("never hold more than N connections, so EMFILE never happens")},
    };
}

void fillChoices(QComboBox *combo, const QList<LabChoice> &choices)
{
    for (const LabChoice &choice : choices) {
        combo->addItem(choice.keyword, choice.keyword);
        combo->setItemData(combo->count() - 1, choice.help, Qt::ToolTipRole);
    }
    // The closed combo explains its current choice too.
    const auto explain = [combo] {
        combo->setToolTip(combo->currentData(Qt::ToolTipRole).toString());
    };
    QObject::connect(combo, &QComboBox::currentIndexChanged, combo, explain);
    explain();
}

} // namespace sockscope
