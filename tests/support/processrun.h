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
// Starts a server the test stops itself (stopProcess), through die_with_parent
// (diewithparent.cpp): if the test dies without stopping it, the kernel kills it.
void startServer(QProcess &process, const QString &program, const QStringList &arguments);
// die_with_parent's path.
QString dieWithParentProgram();

} // namespace sockscope::test

// Cases that start the window call this first: a build configured with
// SOCKSCOPE_TEST_WINDOW=OFF (the thread pass) has no window module.
#define SOCKSCOPE_REQUIRE_WINDOW()                                                                 \
    do {                                                                                           \
        if (!SOCKSCOPE_TEST_WINDOW)                                                                \
            QSKIP("starts the window, and this build has no window module "                       \
                  "(configured with SOCKSCOPE_TEST_WINDOW=OFF, as the thread pass is)");           \
    } while (false)

// The same for the rows of a data-driven case whose tag starts with "window:".
#define SOCKSCOPE_REQUIRE_WINDOW_FOR_WINDOW_ROWS()                                                 \
    do {                                                                                           \
        if (QByteArray(QTest::currentDataTag()).startsWith("window:"))                             \
            SOCKSCOPE_REQUIRE_WINDOW();                                                            \
    } while (false)
