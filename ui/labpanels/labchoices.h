// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

class QComboBox;

namespace sockscope {

// One option of a lab combo box: the console keyword (shown, so the combo
// teaches the console word) and what it does (the item's tooltip).
struct LabChoice
{
    QString keyword;
    QString help;
};

// The keywords come from the lab's own names, so the GUI cannot drift from
// the console grammar.
QList<LabChoice> acceptModeChoices();
QList<LabChoice> closePolicyChoices();
QList<LabChoice> acceptErrorPolicyChoices();

// Fills the combo: text and Qt::UserRole data are the keyword, the tooltip the help.
void fillChoices(QComboBox *combo, const QList<LabChoice> &choices);

} // namespace sockscope
