// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "modelqueries.h"
#include "theme/darkpalette.h"

#include <QPalette>
#include <QString>

class QComboBox;
class QLineEdit;
class QTextBrowser;

namespace sockscope::test {

// Replaces the edit's text the way a user does: select all, erase, type.
void retype(QLineEdit *edit, const QString &text);
// Selects the item whose data is `keyword`; false when there is none.
bool choose(QComboBox *combo, const QString &keyword);
// Clicks the link `href` in the browser (scrolled into view first); false when
// the document has no such link.
bool clickLink(QTextBrowser *browser, const QString &href);
using sockscope::darkPalette; // ui/widgets/darkpalette.h

} // namespace sockscope::test
