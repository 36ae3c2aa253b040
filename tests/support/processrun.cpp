// SPDX-License-Identifier: GPL-3.0-or-later
#include "processrun.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>

namespace sockscope::test {

ProcessRun runProcess(const QString &program, const QStringList &arguments, int timeoutMs)
{
    QProcess process;
    process.start(program, arguments);
    return finishProcess(process, timeoutMs);
}

ProcessRun finishProcess(QProcess &process, int timeoutMs)
{
    ProcessRun run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.status = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

void stopProcess(QProcess &process, int graceMs)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(graceMs)) {
        process.kill();
        process.waitForFinished();
    }
}

QString dieWithParentProgram()
{
    return QStringLiteral(SOCKSCOPE_DIE_WITH_PARENT);
}

void startServer(QProcess &process, const QString &program, const QStringList &arguments)
{
    // die_with_parent runs it with execv, which wants a path.
    const QString path =
        QDir::isAbsolutePath(program) ? program : QStandardPaths::findExecutable(program);
    process.start(dieWithParentProgram(), QStringList{path.isEmpty() ? program : path} + arguments);
}

} // namespace sockscope::test
