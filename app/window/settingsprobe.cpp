// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/settingsprobe.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStorageInfo>

namespace sockscope::cli {

namespace {

// The deepest existing folder on the way to `path`: where the write failed.
QString existingParent(QString path)
{
    while (!QFileInfo::exists(path) && path != QDir::rootPath())
        path = QFileInfo(path).absolutePath();
    return path;
}

QString whyNotWritable(const QString &file)
{
    const QString folder = existingParent(QFileInfo(file).absolutePath());
    const QStorageInfo storage(folder);
    constexpr qint64 kFullBelowBytes = 64 * 1024;
    if (storage.isValid() && storage.isReadOnly())
        return QStringLiteral("%1 is on a read-only file system").arg(folder);
    if (storage.isValid() && storage.bytesAvailable() < kFullBelowBytes)
        return QStringLiteral("the file system of %1 is full").arg(folder);
    return QStringLiteral("%1 is not writable for this user").arg(folder);
}

} // namespace

QString settingsSaveProblem()
{
    QSettings settings;
    // A value that changes each start, so that sync() really writes.
    settings.setValue(QStringLiteral("window/lastStart"),
                      QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    settings.sync();
    if (settings.status() == QSettings::NoError)
        return {};
    return QStringLiteral("Settings cannot be saved to %1: %2. The window works; its layout and "
                          "filters will not be kept (set XDG_CONFIG_HOME to a writable folder).")
        .arg(settings.fileName(), whyNotWritable(settings.fileName()));
}

} // namespace sockscope::cli
