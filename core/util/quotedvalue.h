// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace sockscope {

// A value a user typed, fit to quote in a one-line message: control
// characters (a NUL, a carriage return) written as \xNN so the message stays
// one line, and a long value elided in the middle with its length, so a 1 MiB
// argument does not become a 1 MiB error. "'9000'", "'aaaa…aaaa' (1048576
// characters)".
QString quotedValue(const QString &value);
// The same for a whole message that may quote such a value (Qt's parser errors).
QString shortenedText(const QString &text, qsizetype maximum);

} // namespace sockscope
