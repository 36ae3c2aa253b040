// SPDX-License-Identifier: GPL-3.0-or-later
// Small helpers shared by the AppImage tests: run a program to completion with
// a deadline, and look for mounts a test may have left behind.
#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

struct ProcessResult
{
    bool finished = false; // false: it hung past the deadline and was killed
    bool crashed = false;  // ended by a signal; exitCode is the signal number
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    qint64 elapsedMs = 0;

    QString describe() const;
};

// Runs program to completion (or kills it after timeoutMs).
ProcessResult runProcess(const QString &program, const QStringList &args,
                         const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                         const QString &workingDir = {}, int timeoutMs = 60000,
                         const QByteArray &input = {});

// Mount points (from /proc/self/mountinfo) at or below dir.
QStringList mountsBelow(const QString &dir);

// Polls until nothing is mounted below dir; false if something still is.
bool waitUntilNoMountsBelow(const QString &dir, int timeoutMs = 5000);

bool runningAsRoot();
