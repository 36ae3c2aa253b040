// SPDX-License-Identifier: GPL-3.0-or-later
// A minimal Debian root (debootstrap --variant=minbase: no Qt, no FUSE, no X)
// made once and cached outside the build tree, and a way to run a program in
// it as an unprivileged user without leaving mounts behind.
#pragma once

#include "processrunner.h"

#include <QString>

class MinimalRoot
{
public:
    // Cache location: $SOCKSCOPE_TEST_ROOT, else
    // ${XDG_CACHE_HOME:-~/.cache}/sockscope-test/bookworm-minbase.
    static QString defaultPath();

    // Makes the root unless it is cached. Returns an empty string, or why the
    // root cannot be had here (not root, no debootstrap, no network...).
    QString prepare(const QString &path);

    QString path() const { return m_path; }

    // Runs program (a path inside the root) as nobody, with a clean
    // environment plus env ("NAME=value" entries). /proc is mounted in a
    // private mount namespace, so it disappears with the process whatever
    // happens. HOME is /tmp/sockscope-test/home.
    ProcessResult run(const QString &program, const QStringList &args, const QStringList &env = {},
                      const QByteArray &input = {}, int timeoutMs = 120000) const;

private:
    QString m_path;
};
