// SPDX-License-Identifier: GPL-3.0-or-later
#include "explain/systemlimits.h"

#include <QFile>

namespace sockscope {

namespace {

QStringList procFields(const char *path)
{
    QFile file(QString::fromLatin1(path));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLatin1(file.readAll())
        .simplified()
        .split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

} // namespace

QString systemFileLimitText()
{
    // file-nr: allocated, unused (always 0 since 2.6), maximum.
    const QStringList fields = procFields("/proc/sys/fs/file-nr");
    if (fields.size() < 3)
        return QStringLiteral("fs.file-max unknown");
    return QStringLiteral("fs.file-max %1, %2 allocated").arg(fields[2], fields[0]);
}

QString localPortRange()
{
    const QStringList fields = procFields("/proc/sys/net/ipv4/ip_local_port_range");
    if (fields.size() < 2)
        return QStringLiteral("32768-60999");
    return fields[0] + QLatin1Char('-') + fields[1];
}

int unprivilegedPortStart()
{
    const QStringList fields = procFields("/proc/sys/net/ipv4/ip_unprivileged_port_start");
    bool ok = false;
    const int value = fields.isEmpty() ? 0 : fields.first().toInt(&ok);
    return ok ? value : 1024;
}

} // namespace sockscope
