// SPDX-License-Identifier: GPL-3.0-or-later
// The window on a server with its lab asked for (sockscope --ssh HOST
// --remote-lab): a line typed in the lab panel's console runs on the server
// through an sshd this test starts, the listener it opens shows in the
// server's socket table, the lab's events reach the server's event log, and
// the docks say where the lab acts. Without asking there is no lab panel.
#include "guitesting.h"
#include "itemmodels/eventlogmodel.h"
#include "itemmodels/sockettablemodel.h"
#include "labpanels/answerview.h"
#include "labpanels/labpanel.h"
#include "loopback.h"
#include "netns.h"
#include "remote/remotesource.h"
#include "session/labsession.h"
#include "sshdrun.h"
#include "windows/mainwindow.h"
#include "windows/windowassembly.h"

#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <unistd.h>

using namespace sockscope;
using namespace sockscope::test;

namespace {
const QString kBinary = QStringLiteral(SOCKSCOPE_BINARY);

std::uint16_t freePort()
{
    const UniqueFd probe = listenOn();
    return localPort(probe.get());
}

// Rows of the event log whose source is the lab.
int labRows(const EventLogModel &log)
{
    int rows = 0;
    for (int row = 0; row < log.rowCount(); ++row) {
        for (int column = 0; column < log.columnCount(); ++column)
            rows += log.index(row, column).data().toString() == QLatin1String("lab");
    }
    return rows;
}

// Every label's text in the window, joined.
QString labelsOf(const QWidget &window)
{
    QStringList texts;
    for (const QLabel *label : window.findChildren<QLabel *>())
        texts << label->text();
    return texts.join(QLatin1Char('\n'));
}
} // namespace

class TestRemoteLabWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        SOCKSCOPE_START_SSHD(m_sshd);
    }

    void consoleLineRunsOnTheServer()
    {
        auto *remote = new RemoteSource(m_sshd.target());
        remote->setLab(true);
        QSignalSpy connected(remote, &RemoteSource::connected);
        AssembledWindow assembled = assembleWindow(kBinary, false, true, first(remote));
        MainWindow &window = *assembled.window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(assembled.session && assembled.session->remote());
        QVERIFY(!assembled.scenarios); // a scenario's expectations are this kernel's
        QVERIFY2(labelsOf(window).contains(QLatin1String("The lab acts on sockscope-test")),
                 qPrintable(labelsOf(window)));
        QTRY_VERIFY_WITH_TIMEOUT(!connected.isEmpty(), 15000);

        const std::uint16_t port = freePort();
        auto *console = window.findChild<QLineEdit *>(QStringLiteral("labConsole"));
        auto *panel = window.findChild<LabPanel *>(QStringLiteral("labPanel"));
        QVERIFY(console && panel && console->isEnabled());
        retype(console, QStringLiteral("listen 127.0.0.1:%1").arg(port));
        QTest::keyClick(console, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(panel->answerView()->toPlainText().contains(
                                     QStringLiteral("ok L1 127.0.0.1:%1").arg(port)),
                                 10000);
        // The server's kernel has it: its socket table shows it, as the lab's
        // (the agent's process on the server).
        QTRY_VERIFY_WITH_TIMEOUT(rowsOnPort(window.socketModel(), port) == 1, 10000);
        const SocketTableModel *model = window.socketModel();
        const int row = model->rowOf(connectionOn(*model, port, TcpState::Listen)->id);
        QVERIFY(remote->agentPid() > 0);
        QTRY_COMPARE_WITH_TIMEOUT(
            model->index(row, SocketTableModel::OwnerColumn).data().toString(),
            QStringLiteral("lab · pid %1 sockscope").arg(remote->agentPid()), 10000);

        const int labbed = labRows(*window.eventLog());
        retype(console, QStringLiteral("connect 127.0.0.1:%1").arg(port));
        QTest::keyClick(console, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(
            panel->answerView()->toPlainText().contains(QLatin1String("ok C1")), 10000);
        // The accept, an event of the server's lab, is in the server's log.
        QTRY_VERIFY_WITH_TIMEOUT(labRows(*window.eventLog()) > labbed, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(rowsOnPort(window.socketModel(), port) == 3, 10000);

        // For a person to look at: SOCKSCOPE_REMOTE_LAB_PNG=PREFIX saves the
        // window as the user left it, at two sizes, light and dark.
        const QString prefix = qEnvironmentVariable("SOCKSCOPE_REMOTE_LAB_PNG");
        if (prefix.isEmpty())
            return;
        QVERIFY(saveShotsForPeople(&window, prefix, QStringLiteral("labDock")));
    }

    void labOffSaysHowToAsk()
    {
        auto *remote = new RemoteSource(m_sshd.target());
        FirstSource source = first(remote);
        source.labOffReason = QStringLiteral("remote lab: not enabled");
        AssembledWindow assembled = assembleWindow(kBinary, false, true, source);
        QVERIFY(!assembled.session);
        QVERIFY(!assembled.window->findChild<QLineEdit *>(QStringLiteral("labConsole")));
        QVERIFY(assembled.window->findChild<QLabel *>(QStringLiteral("labOff")));
        QVERIFY(!assembled.window->findChild<LabPanel *>());
    }

private:
    static FirstSource first(RemoteSource *remote)
    {
        FirstSource first;
        first.remote = remote;
        first.remoteKey = QStringLiteral("ssh:sockscope-test");
        first.remoteLabel = QStringLiteral("sockscope-test");
        return first;
    }

    SshdRun m_sshd;
};

SOCKSCOPE_TEST_MAIN_NETNS(TestRemoteLabWindow, QApplication)
#include "tst_remotelabwindow.moc"
