// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "owners/ownerinfo.h"

#include <QString>

namespace sockscope {

// Who holds a socket, in three lengths.

// Everything: "pid 4242 nginx: worker (fd 7)", several owners joined by ", ";
// "orphaned" or "unknown" when no process can be named.
QString ownerText(const OwnerLookup &owner);

// For narrow columns (with ownerText() in the tooltip): "pid 4242 nginx" (the
// program's name without its path and arguments), "+2" for more owners;
// "orphaned", "unknown".
QString shortOwnerText(const OwnerLookup &owner);

// Inside an explanation's sentence: "pid 4242 sockscope", "pids 4242, 4243
// nginx"; "" when nobody owns it; "owner unknown" when /proc hid it.
QString ownerPhrase(const OwnerLookup &owner);

// "nginx" for "/usr/sbin/nginx -g daemon off;".
QString programName(const QString &command);

} // namespace sockscope
