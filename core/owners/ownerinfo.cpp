// SPDX-License-Identifier: GPL-3.0-or-later
#include "owners/ownerinfo.h"

namespace sockscope {

QString ownershipName(Ownership ownership)
{
    switch (ownership) {
    case Ownership::Owned:
        return QStringLiteral("owned");
    case Ownership::Orphaned:
        return QStringLiteral("orphaned");
    case Ownership::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

} // namespace sockscope
