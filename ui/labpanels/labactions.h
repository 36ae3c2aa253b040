// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labpanels/labobjectlist.h"

#include <QString>
#include <QStringList>

namespace sockscope {

// Which lab objects an object-list action is for and in which states (the
// ObjectLine::state words) it is valid: closing a closed socket or killing an
// exited process is no lesson.
struct ActionRule
{
    QChar kind; // 'L' listeners, 'C' clients and accepted connections, 'P' servers
    QStringList validStates;
};
ActionRule ruleOf(LabObjectList::Action action);

// What the action does at the socket level, for its button's tooltip.
QString actionHelp(LabObjectList::Action action, bool resume);
// When it is valid: "Only a listening socket can be closed."
QString requirement(LabObjectList::Action action);
// "a listener", "a connection", "a server process".
QString kindName(QChar kind);

} // namespace sockscope
