// SPDX-License-Identifier: GPL-3.0-or-later
#include "itemmodels/sockettablemodel.h"
#include "netns.h"
#include "labpanels/bindcheckerpanel.h"
#include "labpanels/bindcheckform.h"
#include "labpanels/blockerlist.h"
#include "theme/statuscolors.h"
#include "panes/portspane.h"
#include "poller/poller.h"
#include "session/labsession.h"
#include "util/monotonic.h"
#include "windows/mainwindow.h"

#include <memory>
#include <QApplication>
#include <QCheckBox>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace sockscope;

namespace {

constexpr int kTimeoutMs = 10000;

} // namespace

class TestBindChecker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void freePortCanBind();
    void listenerIsNamedAndSelectable();
    void timeWaitCountsDown();
    void selectAllAndRecheck();

private:
    // Runs a lab line directly (the set-up a user would make with the lab panel).
    ConsoleAnswer lab(const QString &line);
    // Types the address (and options) and presses Enter in the edit.
    ConsoleAnswer checkByEnter(const QString &address, bool reuseAddr);
    int socketRow(TcpState state, std::uint16_t localPort) const;

    std::unique_ptr<MainWindow> m_window;
    LabSession *m_session = nullptr;
    BindCheckerPanel *m_checker = nullptr;
};

void TestBindChecker::initTestCase()
{
    SOCKSCOPE_REQUIRE_NETNS();
    m_window = std::make_unique<MainWindow>(new Poller, false);
    // `check` needs no server process: any executable path will do.
    m_session = new LabSession(QCoreApplication::applicationFilePath(), m_window.get());
    m_checker = new BindCheckerPanel(m_session);
    m_window->addPanel(m_checker, QStringLiteral("Bind checker"),
                       QStringLiteral("bindCheckerDock"));
    connect(m_checker, &BindCheckerPanel::focusRequested, m_window.get(),
            &MainWindow::focusSockets);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestBindChecker::cleanupTestCase()
{
    m_window.reset();
}

ConsoleAnswer TestBindChecker::lab(const QString &line)
{
    QSignalSpy spy(m_session, &LabSession::answered);
    const std::uint64_t request = m_session->submit(line);
    // The answer may be in before wait() starts (an earlier wait ran the loop).
    do {
        for (const QList<QVariant> &args : std::as_const(spy)) {
            if (args.at(0).value<std::uint64_t>() != request)
                continue;
            // The panel's buttons wake up once the session is idle again.
            if (!QTest::qWaitFor([this] { return m_session->pending() == 0; }, kTimeoutMs))
                break;
            return args.at(2).value<ConsoleAnswer>();
        }
    } while (spy.wait(kTimeoutMs));
    return ConsoleAnswer::failure(Error{ETIMEDOUT, QStringLiteral("no answer to ") + line});
}

ConsoleAnswer TestBindChecker::checkByEnter(const QString &address, bool reuseAddr)
{
    BindCheckForm *form = m_checker->form();
    form->reuseAddrCheck()->setChecked(reuseAddr);
    form->addressEdit()->clear();
    QTest::keyClicks(form->addressEdit(), address);
    QSignalSpy spy(m_checker, &BindCheckerPanel::checked);
    QTest::keyClick(form->addressEdit(), Qt::Key_Return);
    if (!spy.wait(kTimeoutMs))
        return ConsoleAnswer::failure(Error{ETIMEDOUT, QStringLiteral("no verdict")});
    return spy.first().first().value<ConsoleAnswer>();
}

int TestBindChecker::socketRow(TcpState state, std::uint16_t localPort) const
{
    const SocketTableModel *model = m_window->socketModel();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(SocketTableModel::StateRole).toInt() == static_cast<int>(state) &&
            index.data(SocketTableModel::LocalPortRole).toInt() == localPort)
            return row;
    }
    return -1;
}

void TestBindChecker::freePortCanBind()
{
    const ConsoleAnswer answer = checkByEnter(QStringLiteral("127.0.0.1:9500"), false);
    QVERIFY2(answer.ok, qPrintable(answer.firstLine()));
    QCOMPARE(m_checker->verdictLabel()->text(), QStringLiteral("You can bind 127.0.0.1:9500"));
    QCOMPARE(m_checker->verdictLabel()->palette().color(QPalette::WindowText),
             statusColors(m_checker->palette()).good);
    QVERIFY(m_checker->summaryLabel()->text().contains(QStringLiteral("no socket holds it")));
    QVERIFY(m_checker->blockerList()->isHidden());
    QVERIFY(m_checker->recheckButton()->isEnabled());
}

void TestBindChecker::listenerIsNamedAndSelectable()
{
    const ConsoleAnswer made = lab(QStringLiteral("listen 127.0.0.1:9501"));
    QVERIFY2(made.ok, qPrintable(made.firstLine()));
    QTRY_VERIFY_WITH_TIMEOUT(socketRow(TcpState::Listen, 9501) >= 0, kTimeoutMs);

    // The Check button, with SO_REUSEADDR: a live listener blocks anyway.
    BindCheckForm *form = m_checker->form();
    form->addressEdit()->setText(QStringLiteral("127.0.0.1:9501"));
    form->reuseAddrCheck()->setChecked(true);
    QSignalSpy checked(m_checker, &BindCheckerPanel::checked);
    QTest::mouseClick(form->button(), Qt::LeftButton);
    QVERIFY(checked.wait(kTimeoutMs));
    QCOMPARE(checked.first().first().value<ConsoleAnswer>().errnoName,
             QStringLiteral("EADDRINUSE"));
    QVERIFY2(m_checker->verdictLabel()->text().startsWith(QStringLiteral("EADDRINUSE: ")),
             qPrintable(m_checker->verdictLabel()->text()));
    QVERIFY(m_checker->verdictLabel()->text().contains(QStringLiteral("with SO_REUSEADDR")));
    QCOMPARE(m_checker->verdictLabel()->palette().color(QPalette::WindowText),
             statusColors(m_checker->palette()).bad);

    BlockerList *list = m_checker->blockerList();
    QVERIFY(list->isVisible());
    QCOMPARE(list->count(), 1);
    QListWidgetItem *item = list->item(0);
    // State and address, then the owner, then how it goes away.
    const QStringList lines = item->text().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0), QStringLiteral("LISTEN   127.0.0.1:9501"));
    const QString self = QStringLiteral("pid %1 ").arg(QCoreApplication::applicationPid());
    QVERIFY2(lines.at(1).startsWith(QStringLiteral("owner: ") + self), qPrintable(lines.at(1)));
    QCOMPARE(lines.at(2), QStringLiteral("It goes away when that process closes it"));

    QSignalSpy focus(m_checker, &BindCheckerPanel::focusRequested);
    const QRect rect = list->visualItemRect(item);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(focus.size(), 1);
    QCOMPARE(focus.first().at(0).value<std::optional<std::uint16_t>>(),
             std::optional<std::uint16_t>(9501));
    QCOMPARE(focus.first().at(1).value<QList<std::uint64_t>>(), list->cookies());
    // The window followed: the LISTEN row is the table's selection.
    QCOMPARE(m_window->portsPane()->selectedPort(), std::optional<std::uint16_t>(9501));
    const QModelIndexList rows = m_window->socketView()->selectionModel()->selectedRows();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().data(SocketTableModel::StateRole).toInt(),
             static_cast<int>(TcpState::Listen));

    // A second click on the same row asks again (the window may show another port by now).
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(focus.size(), 2);
}

void TestBindChecker::timeWaitCountsDown()
{
    // The server side closes first and ends in TIME_WAIT on its port (S5).
    const ConsoleAnswer listener = lab(QStringLiteral("listen 127.0.0.1:9502 accept close"));
    QVERIFY(listener.ok);
    QVERIFY(lab(QStringLiteral("connect 127.0.0.1:9502 then keep")).ok);
    QVERIFY(lab(QStringLiteral("wait TIME_WAIT 9502")).ok);
    QVERIFY(lab(QStringLiteral("close %1").arg(listener.ids.first())).ok);

    const ConsoleAnswer answer = checkByEnter(QStringLiteral("127.0.0.1:9502"), false);
    QCOMPARE(answer.errnoName, QStringLiteral("EADDRINUSE"));
    BlockerList *list = m_checker->blockerList();
    QCOMPARE(list->count(), 1);
    QListWidgetItem *item = list->item(0);
    QVERIFY2(item->text().startsWith(QStringLiteral("TIME_WAIT   127.0.0.1:9502 → 127.0.0.1:")),
             qPrintable(item->text()));
    QVERIFY(item->text().contains(QStringLiteral("\nowner: orphaned\n")));
    const QString first = BlockerList::endsLine(item);
    QVERIFY2(first.startsWith(QStringLiteral("The kernel removes it in ")) &&
                 first.endsWith(QStringLiteral("(TIME_WAIT timer)")),
             qPrintable(first));
    // It counts down by itself, once a second.
    QTRY_VERIFY_WITH_TIMEOUT(BlockerList::endsLine(item) != first, 2500);

    // And says when the timer has run out.
    const std::int64_t now = monotonicMs();
    list->setClock([now] { return now + 120000; });
    list->refreshCountdowns();
    QCOMPARE(BlockerList::endsLine(item), QStringLiteral("Its timer has run out: check again"));
    list->setClock(monotonicMs);
}

void TestBindChecker::selectAllAndRecheck()
{
    // A listener and TIME_WAIT connections on one port, all named by one check.
    const ConsoleAnswer listener = lab(QStringLiteral("listen 127.0.0.1:9503 accept close"));
    QVERIFY(listener.ok);
    QVERIFY(lab(QStringLiteral("connect 127.0.0.1:9503 count 2 then keep")).ok);
    QVERIFY(lab(QStringLiteral("wait TIME_WAIT 9503")).ok);
    QVERIFY(checkByEnter(QStringLiteral("127.0.0.1:9503"), false).errnoName ==
            QStringLiteral("EADDRINUSE"));
    BlockerList *list = m_checker->blockerList();
    QVERIFY2(list->count() >= 2, qPrintable(m_checker->summaryLabel()->text()));

    QSignalSpy focus(m_checker, &BindCheckerPanel::focusRequested);
    QLabel *selectAll = m_checker->selectAllLink();
    QVERIFY(selectAll->isVisible());
    QTest::mouseClick(selectAll, Qt::LeftButton, {}, QPoint(6, selectAll->height() / 2));
    QVERIFY(!focus.isEmpty());
    QCOMPARE(focus.last().at(1).value<QList<std::uint64_t>>(), list->cookies());

    QSignalSpy checked(m_checker, &BindCheckerPanel::checked);
    QTest::mouseClick(m_checker->recheckButton(), Qt::LeftButton);
    QVERIFY(checked.wait(kTimeoutMs));
    QCOMPARE(checked.first().first().value<ConsoleAnswer>().errnoName,
             QStringLiteral("EADDRINUSE"));
    QVERIFY(lab(QStringLiteral("close %1").arg(listener.ids.first())).ok);
}

SOCKSCOPE_TEST_MAIN_NETNS(TestBindChecker, QApplication)

#include "tst_bindchecker.moc"
