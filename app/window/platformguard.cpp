// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/platformguard.h"

#include <cstdio>
#include <QByteArray>
#include <QString>
#include <QtGlobal>
#include <unistd.h>

namespace sockscope::cli {

namespace {

QtMessageHandler g_previous = nullptr;

QByteArray variable(const char *name)
{
    const QByteArray value = qgetenv(name);
    return qEnvironmentVariableIsSet(name) ? "'" + value + "'" : QByteArray("unset");
}

void onMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type != QtFatalMsg) {
        if (g_previous)
            g_previous(type, context, message);
        return;
    }
    std::fprintf(stderr,
                 "sockscope: the window cannot open: Qt could not use a display platform "
                 "(QT_QPA_PLATFORM %s, DISPLAY %s, WAYLAND_DISPLAY %s).\n"
                 "Qt said: %s\n"
                 "Fix: start it in a desktop session (DISPLAY for X11, WAYLAND_DISPLAY for "
                 "Wayland), unset a QT_QPA_PLATFORM that names a missing plugin, use "
                 "QT_QPA_PLATFORM=offscreen with --screenshot, or use 'sockscope dump' / "
                 "'sockscope watch' in a terminal.\n",
                 variable("QT_QPA_PLATFORM").constData(), variable("DISPLAY").constData(),
                 variable("WAYLAND_DISPLAY").constData(),
                 message.section(QLatin1Char('\n'), 0, 0).toLocal8Bit().constData());
    std::fflush(stderr);
    // exit() would run the destructors of a half-built QApplication.
    ::_exit(1);
}

} // namespace

PlatformGuard::PlatformGuard()
{
    g_previous = qInstallMessageHandler(onMessage);
}

PlatformGuard::~PlatformGuard()
{
    qInstallMessageHandler(g_previous);
}

} // namespace sockscope::cli
