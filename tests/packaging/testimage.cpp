// SPDX-License-Identifier: GPL-3.0-or-later
#include "testimage.h"

#include "processrunner.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>

namespace {

const char appRun[] = R"(#!/bin/sh
echo "APPDIR=$APPDIR"
echo "APPIMAGE=$APPIMAGE"
echo "ARGV0=$ARGV0"
echo "OWD=$OWD"
for a in "$@"; do echo "ARG=[$a]"; done
cat "$APPDIR/data/payload.txt"
if [ -n "$SLEEP_FOR" ]; then echo ready; exec sleep "$SLEEP_FOR"; fi
exit "${EXIT_WITH:-0}"
)";

bool writeFile(const QString &path, const QByteArray &data, bool executable = false)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
        return false;
    file.close();
    return file.setPermissions(QFile::Permissions(executable ? 0x7755 : 0x6644));
}

} // namespace

QString buildTestImage(const QString &dir, const TestImageTools &tools)
{
    const QString appDir = dir + "/AppDir";
    QByteArray noise(3 << 20, '\0');
    QRandomGenerator(42).fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / 4);
    if (!QDir().mkpath(appDir + "/data") || !writeFile(appDir + "/AppRun", appRun, true) ||
        !writeFile(appDir + "/data/payload.txt", "payload-ok\n") ||
        !writeFile(appDir + "/data/noise.bin", noise) ||
        !QFile::link("data/payload.txt", appDir + "/link"))
        return "cannot write the AppDir in " + dir;
    const QString squashfs = dir + "/image.squashfs";
    ProcessResult made = runProcess(
        tools.mksquashfs, {appDir, squashfs, "-noappend", "-quiet", "-all-root", "-comp", "zstd"});
    if (!made.finished || made.exitCode != 0)
        return made.describe();
    made = runProcess(tools.assemble, {tools.runtime, squashfs, dir + "/test.AppImage"});
    if (!made.finished || made.exitCode != 0)
        return made.describe();
    return {};
}
