// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "modelqueries.h"
#include "theme/darkpalette.h"

#include <QPalette>
#include <QString>

class QComboBox;
class QLineEdit;
class QTextBrowser;
class QWidget;

namespace sockscope::test {

// Replaces the edit's text the way a user does: select all, erase, type.
void retype(QLineEdit *edit, const QString &text);
// Selects the item whose data is `keyword`; false when there is none.
bool choose(QComboBox *combo, const QString &keyword);
// Clicks the link `href` in the browser (scrolled into view first); false when
// the document has no such link.
bool clickLink(QTextBrowser *browser, const QString &href);
// For a person to look at: saves `window` as it is now at 1280x800 and
// 1920x1080, light and dark, as PREFIX-WxH[-dark].png (with `dock` raised
// first when one of that object name exists); false when a file could not be
// written. The window keeps the last size; the palette goes back to light.
bool saveShotsForPeople(QWidget *window, const QString &prefix, const QString &dock = {});
using sockscope::darkPalette; // ui/widgets/darkpalette.h

} // namespace sockscope::test
