// SPDX-License-Identifier: GPL-3.0-or-later
// The small AppImage the runtime tests run: its AppRun prints what it was
// given (APPDIR, APPIMAGE, ARGV0, OWD, each argument in brackets), then a
// payload file; SLEEP_FOR=N makes it print "ready" and sleep, EXIT_WITH=N sets
// its exit status. data/noise.bin (3 MiB) spreads the image over many blocks.
#pragma once

#include <QString>

struct TestImageTools
{
    QString runtime;
    QString assemble;
    QString mksquashfs;
};

// Builds dir/test.AppImage (dir/AppDir is its tree). Returns an empty string,
// or what failed.
QString buildTestImage(const QString &dir, const TestImageTools &tools);
