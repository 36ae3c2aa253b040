// SPDX-License-Identifier: GPL-3.0-or-later
// A server picked in the window's source list that has no sockscope: its tab
// reads ss, and the window asks once whether to copy this AppImage there
// (the build's executable stands in for it). Closing the tab while the
// question is open closes the question. Through an sshd the test starts, its
// sessions' PATH without sockscope.
#include "netns.h"
#include "poller/socketsource.h"
#include "remote/remotesource.h"
#include "sshdrun.h"
#include "window/remotewindow.h"
#include "windows/mainwindow.h"
#include "windows/windowassembly.h"

#include <QApplication>
#include <QMessageBox>
#include <QPointer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace sockscope;
using namespace sockscope::test;
using sockscope::cli::offerAgent;

namespace {
const QString kBinary = QStringLiteral(SOCKSCOPE_BINARY);
constexpr int kTimeoutMs = 20000;

QMessageBox *question(QWidget *window)
{
    return window->findChild<QMessageBox *>(QStringLiteral("installAgentQuestion"));
}
} // namespace

class TestRemoteOffer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pickedServerWithoutSockscopeIsOfferedItOnce()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        if (QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty())
            QSKIP("needs the OpenSSH client (ssh)");
        SshdRun sshd;
        SOCKSCOPE_START_SSHD_AT(sshd, QString());
        qputenv("APPIMAGE", kBinary.toLocal8Bit());
        AssembledWindow assembled = assembleWindow(kBinary, false);
        MainWindow *window = assembled.window.get();
        window->show();

        // As the picker's ssh entry makes it (app/window/guicommand.cpp).
        const SshTarget target = sshd.target();
        auto *remote = new RemoteSource(target);
        QPointer<RemoteSource> source = remote;
        offerAgent(*window, *remote);
        window->openSource(remote, target.sourceKey(), target.displayName());

        QTRY_VERIFY_WITH_TIMEOUT(question(window) != nullptr, kTimeoutMs);
        QVERIFY(source->ssFallback());
        QVERIFY2(question(window)->text().contains(QStringLiteral("has no sockscope")),
                 qPrintable(question(window)->text()));
        QVERIFY(question(window)->isVisible());

        // Closing the tab closes the question: nothing is left to install for.
        QPointer<QMessageBox> asked = question(window);
        QVERIFY(window->closeSource(window->sourceCount() - 1));
        QTRY_VERIFY_WITH_TIMEOUT(asked.isNull() || !asked->isVisible(), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(source.isNull(), kTimeoutMs);
        qunsetenv("APPIMAGE");
    }

    // Not an AppImage: nothing to copy, nothing asked.
    void noQuestionOutsideAnAppImage()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        if (QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty())
            QSKIP("needs the OpenSSH client (ssh)");
        SshdRun sshd;
        SOCKSCOPE_START_SSHD_AT(sshd, QString());
        qunsetenv("APPIMAGE");
        AssembledWindow assembled = assembleWindow(kBinary, false);
        MainWindow *window = assembled.window.get();
        const SshTarget target = sshd.target();
        auto *remote = new RemoteSource(target);
        QSignalSpy connected(remote, &RemoteSource::connected);
        offerAgent(*window, *remote);
        window->openSource(remote, target.sourceKey(), target.displayName());
        QTRY_VERIFY_WITH_TIMEOUT(!connected.isEmpty(), kTimeoutMs);
        QVERIFY(remote->ssFallback());
        QCoreApplication::processEvents();
        QVERIFY(question(window) == nullptr);
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestRemoteOffer, QApplication)
#include "tst_remoteoffer.moc"
