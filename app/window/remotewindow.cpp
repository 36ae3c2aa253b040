// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/remotewindow.h"

#include "remote/remotesource.h"
#include "window/askpass.h"
#include "windows/mainwindow.h"

#include <QCoreApplication>
#include <QLabel>
#include <QStatusBar>

namespace sockscope::cli {

QString remoteLabOffReason()
{
    return QCoreApplication::translate(
        "RemoteWindow", "The lab works on this machine only; remote lab: not enabled.\n\nThis "
                        "window shows a server's sockets over ssh: its listeners, clients and "
                        "scenarios would open sockets here, not there.");
}

RemoteSource *windowRemoteSource(const SshTarget &target, bool trace)
{
    auto *source = new RemoteSource(target);
    source->setTracing(trace);
    source->setReconnect(true);
    source->setAskpassProgram(QCoreApplication::applicationFilePath(),
                              QLatin1String(kAskpassVariable));
    return source;
}

void showRemote(MainWindow &window, RemoteSource &source)
{
    const QString name = source.target().displayName();
    window.setWindowTitle(QStringLiteral("SockScope — %1").arg(name));
    auto *field = new QLabel(
        QCoreApplication::translate("RemoteWindow", "remote: %1, connecting").arg(name), &window);
    field->setObjectName(QStringLiteral("remoteStatus"));
    window.statusBar()->addPermanentWidget(field);
    QObject::connect(&source, &RemoteSource::connected, field, &QLabel::setText);
    QObject::connect(&source, &SocketSource::pollRecovered, &window, [&window, name] {
        constexpr int kShownMs = 5000;
        window.statusBar()->showMessage(
            QCoreApplication::translate("RemoteWindow", "reconnected to %1").arg(name), kShownMs);
    });
}

} // namespace sockscope::cli
