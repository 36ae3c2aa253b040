// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

class QProcess;

namespace sockscope::test {

// A finished child process: exit status (-1 timed out and killed, -2 crashed),
// and everything it wrote.
struct ProcessRun
{
    int status = -1;
    QByteArray out;
    QByteArray err;
};

// Runs `program` to completion within timeoutMs; a hang is killed, never waited for.
ProcessRun runProcess(const QString &program, const QStringList &arguments, int timeoutMs);
// The same for a process the caller started (and fed) itself.
ProcessRun finishProcess(QProcess &process, int timeoutMs);
// Ends a process a test started and left running (a server): SIGTERM, SIGKILL
// when it has not exited within graceMs. Does nothing when it is not running.
void stopProcess(QProcess &process, int graceMs);

} // namespace sockscope::test
