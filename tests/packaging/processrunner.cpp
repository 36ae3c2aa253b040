// SPDX-License-Identifier: GPL-3.0-or-later
#include "processrunner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QThread>
#include <unistd.h>

QString ProcessResult::describe() const
{
    return QStringLiteral("finished=%1 crashed=%2 exit=%3 after %4 ms\nstdout: %5\nstderr: %6")
        .arg(finished)
        .arg(crashed)
        .arg(exitCode)
        .arg(elapsedMs)
        .arg(QString::fromLocal8Bit(out.left(2000)), QString::fromLocal8Bit(err.left(2000)));
}

ProcessResult runProcess(const QString &program, const QStringList &args,
                         const QProcessEnvironment &env, const QString &workingDir, int timeoutMs,
                         const QByteArray &input)
{
    ProcessResult result;
    QProcess process;
    process.setProcessEnvironment(env);
    if (!workingDir.isEmpty())
        process.setWorkingDirectory(workingDir);
    QElapsedTimer timer;
    timer.start();
    process.start(program, args);
    if (!process.waitForStarted(10000)) {
        result.err = process.errorString().toLocal8Bit();
        return result;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    result.finished = process.waitForFinished(timeoutMs);
    if (!result.finished) {
        process.kill();
        process.waitForFinished(5000);
    }
    result.elapsedMs = timer.elapsed();
    result.crashed = process.exitStatus() == QProcess::CrashExit;
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QStringList mountsBelow(const QString &dir)
{
    QStringList found;
    QFile mountinfo(QStringLiteral("/proc/self/mountinfo"));
    if (!mountinfo.open(QIODevice::ReadOnly))
        return found;
    const QString prefix = dir.endsWith(QLatin1Char('/')) ? dir : dir + QLatin1Char('/');
    for (const QByteArray &line : mountinfo.readAll().split('\n')) {
        const QList<QByteArray> fields = line.split(' ');
        if (fields.size() < 5)
            continue;
        // Field 5 is the mount point, with spaces escaped as \040.
        const QString point = QString::fromLocal8Bit(fields.at(4)).replace("\\040", " ");
        if (point == dir || point.startsWith(prefix))
            found << point;
    }
    return found;
}

bool waitUntilNoMountsBelow(const QString &dir, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!mountsBelow(dir).isEmpty()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QThread::msleep(50);
    }
    return true;
}

bool runningAsRoot()
{
    return geteuid() == 0;
}
