// SPDX-License-Identifier: GPL-3.0-or-later
// Several sources at once: two network namespaces with a lab in each, open in
// tabs beside SockScope's own. Each tab shows its own sockets only, keeps
// gathering while another is in front, keeps its filter, and closing it ends
// its poller thread and gives back every descriptor it took.
#include "guitesting.h"
#include "itemmodels/historymodel.h"
#include "itemmodels/socketfilterproxy.h"
#include "itemmodels/sockettablemodel.h"
#include "labnamespace.h"
#include "loopback.h"
#include "netns.h"
#include "netns/networknamespace.h"
#include "panes/portspane.h"
#include "poller/socketsource.h"
#include "remote/remotesource.h"
#include "session/labsession.h"
#include "sources/namespacesources.h"
#include "windows/labplacement.h"
#include "windows/mainwindow.h"
#include "windows/windowassembly.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTest>

using namespace sockscope;
using namespace sockscope::test;

namespace {

const QString kBinary = QStringLiteral(SOCKSCOPE_BINARY);
constexpr int kTimeoutMs = 10000;

// Ended connections in the current tab's history with an end on `port`.
int endedOnPort(const MainWindow *window, quint16 port)
{
    int ended = 0;
    const HistoryModel *model = window->historyModel();
    for (int row = 0; row < model->rowCount(); ++row) {
        const ConnectionEntry *entry = window->history().find(model->idAt(row));
        if (!entry)
            continue;
        const SocketRecord &s = entry->view.socket;
        ended += s.local.port == port || s.remote.port == port;
    }
    return ended;
}

int threadCount()
{
    return static_cast<int>(QDir(QStringLiteral("/proc/self/task"))
                                .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                                .size());
}

// Opens the lab's namespace in a tab, as a pick in the toolbar's list does.
QString openNamespace(MainWindow *window, const LabNamespace &lab)
{
    const Result<NetworkNamespace> ns = NetworkNamespace::resolve(lab.name());
    if (!ns)
        return {};
    window->openSource(makeNamespacePoller(*ns, true), namespaceKey(*ns), namespaceLabel(*ns));
    return namespaceKey(*ns);
}

} // namespace

class TestSourceTabs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tabsKeepTheirOwnSources()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        LabNamespace blue(kBinary, LabNamespace::Kind::Named, 31961);
        LabNamespace green(kBinary, LabNamespace::Kind::Named, 31962);
        if (!blue.unavailable().isEmpty() || !green.unavailable().isEmpty())
            QSKIP(qPrintable(blue.unavailable() + green.unavailable()));
        AssembledWindow assembled = assembleWindow(kBinary, false);
        MainWindow *window = assembled.window.get();
        window->resize(1280, 800);
        window->show();
        const QString own = window->sourceKey();
        const auto model = [window] { return window->socketModel(); };
        QTabBar *tabs = window->sourceTabs();
        // One source: the window as it always was, without a tab bar.
        QVERIFY(!tabs->isVisible());
        QCOMPARE(window->sourceCount(), 1);
        QVERIFY(!window->closeSource(0)); // the last one stays
        QTRY_VERIFY_WITH_TIMEOUT(window->traceStatus()->text().size() > 0, kTimeoutMs);
        const int threadsBefore = threadCount();
        const int descriptorsBefore = openDescriptorCount();

        const QString blueKey = openNamespace(window, blue);
        QVERIFY(!blueKey.isEmpty());
        QPointer<SocketSource> blueSource = window->source();
        const QString greenKey = openNamespace(window, green);
        QVERIFY(!greenKey.isEmpty());
        QPointer<SocketSource> greenSource = window->source();
        QCOMPARE(window->sourceCount(), 3);
        QVERIFY(tabs->isVisible());
        QCOMPARE(tabs->currentIndex(), 2);
        QCOMPARE(tabs->tabText(2), QStringLiteral("ip netns ") + green.name());
        QVERIFY(window->windowTitle().contains(green.name()));

        // Each tab shows its own namespace's sockets only.
        QTRY_COMPARE_WITH_TIMEOUT(rowsOnPort(model(), 31962), 3, kTimeoutMs);
        QCOMPARE(model()->rowCount(), 3);
        auto *filter = window->findChild<QLineEdit *>(QStringLiteral("socketFilter"));
        filter->setText(QStringLiteral("established"));
        QTRY_COMPARE_WITH_TIMEOUT(window->socketProxy()->rowCount(), 2, kTimeoutMs);
        window->portsPane()->selectPort(31962);
        QCOMPARE(window->portsPane()->selectedPort(), std::optional<std::uint16_t>(31962));
        QVERIFY(window->focusSource(blueKey));
        QCOMPARE(window->portsPane()->selectedPort(), std::nullopt);
        QCOMPARE(tabs->currentIndex(), 1);
        QCOMPARE(filter->text(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(rowsOnPort(model(), 31961), 3, kTimeoutMs);
        QCOMPARE(model()->rowCount(), 3);
        QCOMPARE(window->socketProxy()->rowCount(), 3);

        // While blue is in front, green's connection is reset and a listener
        // opens there: green's tab takes both in the background.
        QVERIFY(green.command(QStringLiteral("reset C1")).startsWith(QLatin1String("ok")));
        QVERIFY(green.command(QStringLiteral("listen 127.0.0.1:31963"))
                    .startsWith(QLatin1String("ok")));
        QTest::qWait(500);
        QCOMPARE(rowsOnPort(model(), 31963), 0);
        QVERIFY(window->focusSource(greenKey));
        QCOMPARE(filter->text(), QStringLiteral("established"));
        QCOMPARE(window->portsPane()->selectedPort(), std::optional<std::uint16_t>(31962));
        window->portsPane()->selectPort(std::nullopt);
        // Both ends of the reset connection ended while green was behind: a
        // source started only now would never have seen them.
        QTRY_COMPARE_WITH_TIMEOUT(endedOnPort(window, 31962), 2, kTimeoutMs);
        filter->clear();
        QTRY_COMPARE_WITH_TIMEOUT(rowsOnPort(model(), 31963), 1, kTimeoutMs);
        QCOMPARE(rowsOnPort(model(), 31961), 0);

        // Picking the tab shown again only brings it forward.
        QVERIFY(window->focusSource(own));
        QCOMPARE(window->sourceCount(), 3);
        QVERIFY(!tabs->isVisible() || tabs->currentIndex() == 0);
        QCOMPARE(rowsOnPort(model(), 31961) + rowsOnPort(model(), 31962), 0);

        // Closing a tab stops its source; the last two close back to one tab
        // and no tab bar, with the threads and descriptors of before.
        // Each source ends on its own thread, then goes (SocketSource::dispose).
        QVERIFY(window->closeSource(2));
        QVERIFY(window->focusSource(blueKey));
        QVERIFY(window->closeSource(1));
        QTRY_VERIFY_WITH_TIMEOUT(greenSource.isNull() && blueSource.isNull(), kTimeoutMs);
        QCOMPARE(window->sourceKey(), own);
        QCOMPARE(window->sourceCount(), 1);
        QVERIFY(!tabs->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(threadCount(), threadsBefore, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(openDescriptorCount(), descriptorsBefore, kTimeoutMs);
    }

    // The tabs open at the last close come back at the next start, those
    // whose namespace still exists, behind the first: the lab stays where it
    // acts, and what it had open before they came stays open.
    void reopensLastTimesTabs()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        LabNamespace blue(kBinary, LabNamespace::Kind::Named, 31964);
        if (!blue.unavailable().isEmpty())
            QSKIP(qPrintable(blue.unavailable()));
        const Result<NetworkNamespace> ns = NetworkNamespace::resolve(blue.name());
        QVERIFY(ns);
        QStandardPaths::setTestModeEnabled(true); // settings in ~/.qttest, not the user's
        QSettings().clear();
        const QString own = namespaceKey(NetworkNamespace{});
        const QStringList open{own, namespaceKey(*ns)};
        QSettings().setValue(QStringLiteral("sources/open"),
                             QStringList{own, QStringLiteral("netns:1"), namespaceKey(*ns)});
        {
            AssembledWindow assembled = assembleWindow(kBinary, true);
            MainWindow *window = assembled.window.get();
            LabSession *lab = assembled.session;
            QSignalSpy moved(lab, &LabSession::networkNamespaceChanged);
            QSignalSpy answered(lab, &LabSession::answered);
            // Before the picker has listed the namespaces, so before the tabs come.
            const std::uint16_t port = freeLoopbackPort();
            lab->submit(QStringLiteral("listen 127.0.0.1:%1").arg(port));
            window->show();
            QTRY_COMPARE_WITH_TIMEOUT(window->openSourceKeys(), open, kTimeoutMs);
            QCOMPARE(window->sourceKey(), own); // the first stays in front
            QCOMPARE(assembled.placement->labKey(), own);
            // Answered after anything asked of the lab before it.
            const std::uint64_t status = lab->submit(QStringLiteral("status L1"));
            QTRY_VERIFY_WITH_TIMEOUT(
                !answered.isEmpty() && answered.last().at(0).toULongLong() == status, kTimeoutMs);
            const auto answer = answered.last().at(2).value<ConsoleAnswer>();
            QVERIFY2(answer.ok && answer.objects.value(QStringLiteral("L1")).state ==
                                      QLatin1String(kStateListening),
                     qPrintable(answer.text));
            QCOMPARE(moved.count(), 0);
            window->close();
        }
        QCOMPARE(QSettings().value(QStringLiteral("sources/open")).toStringList(), open);
        QSettings().clear();
    }

    // A source that fails says so on its tab, while the others go on.
    void failingTabShowsIt()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty())
            QSKIP("needs the OpenSSH client (ssh)");
        SOCKSCOPE_REQUIRE_NETNS();
        AssembledWindow assembled = assembleWindow(kBinary, false);
        MainWindow *window = assembled.window.get();
        window->show();
        // Port 1 on loopback of our private namespace: nothing listens there.
        const Result<SshTarget> target = parseSshTarget(QStringLiteral("root@127.0.0.1:1"));
        QVERIFY(target);
        window->openSource(new RemoteSource(*target), target->sourceKey(), target->displayName());
        QTabBar *tabs = window->sourceTabs();
        QTRY_VERIFY_WITH_TIMEOUT(!tabs->tabIcon(1).isNull(), kTimeoutMs);
        QVERIFY(tabs->tabToolTip(1).contains(target->displayName()));
        QVERIFY(!window->statusBar()->currentMessage().isEmpty());
        // This machine's tab is fine: no mark, and the status bar follows the tab.
        QVERIFY(tabs->tabIcon(0).isNull());
        QVERIFY(window->closeSource(0));
        QCOMPARE(window->sourceCount(), 1);
        QVERIFY(!window->statusBar()->currentMessage().isEmpty());
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestSourceTabs, QApplication)
#include "tst_sourcetabs.moc"
