// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"

#include <cstddef>
#include <cstdint>
#include <QString>

namespace sockscope {

// Times for people, one form everywhere (command line, explanations, window):
// "850 ms", "42.1 s", "1 min 03 s", "2 h 05 min".

// How long something lasted, rounded down to the unit shown (59,999 ms is
// "59.9 s", never "60.0 s"); negative times count as 0.
QString durationText(std::int64_t ms);

// How long until a timer ends, in whole seconds rounded up so that "1 s" means
// not yet over: "57 s", "1 min 03 s", "2 h 05 min"; "now" once it has run out.
QString countdownText(std::int64_t remainingMs);
// The same inside a sentence: "in 57 s", "in 1 min 03 s", "now".
QString countdownPhrase(std::int64_t remainingMs);

// A kernel timer with durationText: "timewait 42.1 s", "keepalive 7.0 s/2"
// (retransmits after the slash), "fin-wait-2 58.0 s" (timerDisplayCName), "" when off. remainingMs
// defaults to the dump's expiresMs; the window passes what is left of it now.
QString timerText(const SocketRecord &socket);
QString timerText(const SocketRecord &socket, std::int64_t remainingMs);

// The dump's timer text written to `out` (kTimerTextMax bytes at least), returning
// its length: the same characters as timerText(socket), without a QString.
inline constexpr std::size_t kTimerTextMax = 64;
std::size_t writeTimerText(char *out, const SocketRecord &socket);

// Time since an origin, to the millisecond: "12.345 s" (event log, watch).
QString offsetText(std::int64_t ms);
// The same to the microsecond, from nanoseconds: "12.345678 s", "-0.000250 s"
// (the window's event log, where traced events lie microseconds apart).
QString offsetTextNs(std::int64_t ns);

} // namespace sockscope
