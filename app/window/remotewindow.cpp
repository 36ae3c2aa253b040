// SPDX-License-Identifier: GPL-3.0-or-later
#include "window/remotewindow.h"

#include "remote/agentinstall.h"
#include "remote/remotesource.h"
#include "window/askpass.h"
#include "windows/mainwindow.h"

#include <memory>
#include <QCoreApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QStatusBar>
#include <utility>

namespace sockscope::cli {

QString remoteLabOffReason()
{
    return QCoreApplication::translate(
        "RemoteWindow", "The lab works on this machine only; remote lab: not enabled.\n\nThis "
                        "window shows a server's sockets over ssh: its listeners, clients and "
                        "scenarios would open sockets here, not there. To make sockets move on "
                        "the server, start the window with --remote-lab (sockscope --ssh HOST "
                        "--remote-lab): its sockscope agent then opens them there.");
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

namespace {
// The source may go while a question or a copy is under way (its tab closed).
void installThere(MainWindow &window, QPointer<RemoteSource> source)
{
    const SshTarget target = source->target();
    auto *install = new AgentInstall(target, &window);
    window.statusBar()->showMessage(
        QCoreApplication::translate("RemoteWindow", "copying sockscope to %1…")
            .arg(target.displayName()));
    QObject::connect(install, &AgentInstall::finished, &window,
                     [&window, source, install, target](bool ok, const QString &message) {
                         install->deleteLater();
                         window.statusBar()->showMessage(
                             ok ? QCoreApplication::translate(
                                      "RemoteWindow", "sockscope copied to %1: reconnecting")
                                      .arg(target.displayName())
                                : message);
                         if (ok && source) {
                             source->stop();
                             source->start();
                         }
                     });
    install->start(qEnvironmentVariable("APPIMAGE"), QCoreApplication::applicationVersion());
}

void askToInstall(MainWindow &window, QPointer<RemoteSource> source)
{
    auto *question = new QMessageBox(
        QMessageBox::Question, QCoreApplication::translate("RemoteWindow", "No sockscope there"),
        QCoreApplication::translate(
            "RemoteWindow",
            "%1 has no sockscope, so this window reads its ss output: transitions between polls "
            "are not seen.\n\nCopy this AppImage to ~/%2 on %1 (over the same ssh) and run it "
            "there?")
            .arg(source->target().displayName(),
                 remoteAgentPath(QCoreApplication::applicationVersion())),
        QMessageBox::Yes | QMessageBox::No, &window);
    question->setObjectName(QStringLiteral("installAgentQuestion"));
    question->setAttribute(Qt::WA_DeleteOnClose);
    // Gone with the tab: nothing left to install for.
    QObject::connect(source.data(), &QObject::destroyed, question, &QMessageBox::reject);
    QObject::connect(question, &QMessageBox::finished, &window, [&window, source](int answer) {
        if (answer == QMessageBox::Yes && source)
            installThere(window, source);
    });
    question->open();
}
} // namespace

void offerAgent(MainWindow &window, RemoteSource &source, bool installAgent)
{
    if (!qEnvironmentVariableIsSet("APPIMAGE"))
        return;
    auto asked = std::make_shared<bool>(false);
    QObject::connect(&source, &RemoteSource::connected, &window,
                     [&window, source = QPointer<RemoteSource>(&source), asked, installAgent] {
                         if (!source || !source->ssFallback() || std::exchange(*asked, true))
                             return;
                         if (installAgent)
                             installThere(window, source);
                         else
                             askToInstall(window, source);
                     });
}

void showRemote(MainWindow &window, RemoteSource &source, bool offer, bool installAgent)
{
    const QString name = source.target().displayName();
    window.setWindowTitle(QStringLiteral("SockScope — %1").arg(name));
    auto *field = new QLabel(
        QCoreApplication::translate("RemoteWindow", "remote: %1, connecting").arg(name), &window);
    field->setObjectName(QStringLiteral("remoteStatus"));
    window.statusBar()->addPermanentWidget(field);
    QObject::connect(&source, &RemoteSource::connected, field, &QLabel::setText);
    if (offer)
        offerAgent(window, source, installAgent);
    QObject::connect(&source, &SocketSource::pollRecovered, &window, [&window, name] {
        constexpr int kShownMs = 5000;
        window.statusBar()->showMessage(
            QCoreApplication::translate("RemoteWindow", "reconnected to %1").arg(name), kShownMs);
    });
}

} // namespace sockscope::cli
