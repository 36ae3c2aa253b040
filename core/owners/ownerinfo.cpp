// SPDX-License-Identifier: GPL-3.0-or-later
#include "owners/ownerinfo.h"

namespace sockscope {

const char *ownershipCName(Ownership ownership)
{
    switch (ownership) {
    case Ownership::Owned:
        return "owned";
    case Ownership::Orphaned:
        return "orphaned";
    case Ownership::Unknown:
        break;
    }
    return "unknown";
}

QString ownershipName(Ownership ownership)
{
    return QString::fromLatin1(ownershipCName(ownership));
}

} // namespace sockscope
