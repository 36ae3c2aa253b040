// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/result.h"

#include <cstring>

namespace sockscope {

Error Error::fromErrno(int errnum, const QString &what)
{
    return Error{errnum,
                 QStringLiteral("%1: %2").arg(what, QString::fromLocal8Bit(strerror(errnum)))};
}

QString Error::errnoName() const
{
    if (errnum == 0)
        return QStringLiteral("EINVAL");
    // strerrorname_np is glibc 2.32+, present on Debian 12 and Ubuntu 24.04.
    if (const char *name = strerrorname_np(errnum))
        return QString::fromLatin1(name);
    return QStringLiteral("E%1").arg(errnum);
}

} // namespace sockscope
