// SPDX-License-Identifier: GPL-3.0-or-later
#include "minimalroot.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

QString MinimalRoot::defaultPath()
{
    const QString explicitPath = qEnvironmentVariable("SOCKSCOPE_TEST_ROOT");
    if (!explicitPath.isEmpty())
        return explicitPath;
    QString cache = qEnvironmentVariable("XDG_CACHE_HOME");
    if (cache.isEmpty())
        cache = QDir::homePath() + "/.cache";
    return cache + "/sockscope-test/bookworm-minbase";
}

QString MinimalRoot::prepare(const QString &path)
{
    if (!runningAsRoot())
        return QStringLiteral("chroot and debootstrap need root");
    m_path = path;
    if (QFileInfo::exists(path + "/usr/bin/env"))
        return {};
    const QString debootstrap =
        QStandardPaths::findExecutable("debootstrap", {"/usr/sbin", "/sbin", "/usr/bin"});
    if (debootstrap.isEmpty())
        return QStringLiteral("debootstrap is not installed (packaging/apt-packages.txt)");
    // Built beside the cache and renamed at the end: an interrupted run never
    // leaves a half-made root that a later run would take for the real one.
    const QString partial = path + ".partial";
    QDir(partial).removeRecursively();
    QDir().mkpath(QFileInfo(path).path());
    QStringList args{"--variant=minbase", "bookworm", partial};
    const QString mirror = qEnvironmentVariable("SOCKSCOPE_DEBOOTSTRAP_MIRROR");
    if (!mirror.isEmpty())
        args << mirror;
    ProcessResult made =
        runProcess(debootstrap, args, QProcessEnvironment::systemEnvironment(), {}, 8 * 60 * 1000);
    if (!made.finished || made.exitCode != 0) {
        QDir(partial).removeRecursively();
        return QStringLiteral("debootstrap failed (no network to the Debian mirror?): %1")
            .arg(QString::fromLocal8Bit(made.err.right(400)));
    }
    if (!QDir().rename(partial, path))
        return QStringLiteral("cannot rename %1 to %2").arg(partial, path);
    return {};
}

ProcessResult MinimalRoot::run(const QString &program, const QStringList &args,
                               const QStringList &env, const QByteArray &input, int timeoutMs) const
{
    QStringList command{"--mount",
                        "--propagation",
                        "private",
                        "sh",
                        "-c",
                        "mount -t proc proc \"$0/proc\" && shift && exec chroot "
                        "--userspec=65534:65534 \"$0\" \"$@\"",
                        m_path,
                        "--"};
    command << "env"
            << "-i"
            << "HOME=/tmp/sockscope-test/home"
            << "PATH=/usr/bin:/bin"
            << "LANG=C.UTF-8" << env << program << args;
    return runProcess("unshare", command, QProcessEnvironment::systemEnvironment(), {}, timeoutMs,
                      input);
}
