// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace sockscope {

// The Help menu's primer on how a TCP connection closes, as rich text: who
// sends what, why TIME_WAIT lasts 60 s on Linux, what CLOSE_WAIT says about
// your code, FIN_WAIT2's timeout for orphans.
QString closeStatesPrimerHtml();

} // namespace sockscope
