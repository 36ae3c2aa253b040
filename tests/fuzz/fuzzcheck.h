// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdio>
#include <cstdlib>
#include <QString>

// A property a fuzz target checks beyond "does not crash": breaking it aborts,
// so libFuzzer saves the input and the replay test fails, both with the message.
inline void fuzzCheck(bool holds, const QString &what)
{
    if (holds)
        return;
    std::fprintf(stderr, "fuzz check failed: %s\n", qPrintable(what));
    std::abort();
}
