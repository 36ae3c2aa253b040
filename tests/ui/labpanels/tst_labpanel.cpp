// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/statediagramwidget.h"
#include "guitesting.h"
#include "itemmodels/portsummarymodel.h"
#include "itemmodels/sockettablemodel.h"
#include "labpanels/answerview.h"
#include "labpanels/bindcheckerpanel.h"
#include "labpanels/bindcheckform.h"
#include "labpanels/clientform.h"
#include "labpanels/labobjectlist.h"
#include "labpanels/labpanel.h"
#include "labpanels/listenerform.h"
#include "labpanels/serverform.h"
#include "netns.h"
#include "panes/portspane.h"
#include "poller/poller.h"
#include "session/labsession.h"
#include "windows/mainwindow.h"

#include <cmath>
#include <memory>
#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QDockWidget>
#include <QFileInfo>
#include <QImage>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTabWidget>
#include <QTest>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>

using namespace sockscope;
using namespace sockscope::test;

namespace {

constexpr int kTimeoutMs = 10000;

int stateCount(const PortSummaryModel::StateCounts &counts, TcpState state)
{
    return counts.at(static_cast<std::size_t>(state));
}

// 0 black .. 1 white, averaged over every pixel.
double meanLightness(const QImage &image)
{
    double sum = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x)
            sum += image.pixelColor(x, y).lightnessF();
    }
    return image.isNull() ? 0 : sum / (double(image.width()) * image.height());
}

} // namespace

class TestLabPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void listenerAppearsInTableAndPorts();
    void closingServerLightsCloseWaitAndFinWait2();
    void secondClientFromSamePortFailsInline();
    void objectButtonsActOnSelection();
    void buttonsWaitWhileLabIsBusy();
    void serverProcessesReportTheirPids();
    void panelsReadableInBothPalettes();
    void panelsFitTheirDocksAt1280();

private:
    // Clicks `button` and waits for this panel's answer to it.
    ConsoleAnswer clickAndWait(QPushButton *button);
    ConsoleAnswer typeAndWait(const QString &line);
    // Brings the form's tab to the front, as a user would before filling it.
    void openForm(LabForm *form);
    // Fills the Listeners form and clicks Listen.
    ConsoleAnswer listen(const QString &address, const QString &accept);
    ConsoleAnswer waitForAnswer(QSignalSpy &spy);
    int socketRow(TcpState state, std::uint16_t localPort) const;

    std::unique_ptr<MainWindow> m_window;
    LabSession *m_session = nullptr;
    LabPanel *m_panel = nullptr;
    BindCheckerPanel *m_checker = nullptr;
    QDockWidget *m_labDock = nullptr;
    QDockWidget *m_checkerDock = nullptr;
};

void TestLabPanel::initTestCase()
{
    SOCKSCOPE_REQUIRE_NETNS();
    m_window = std::make_unique<MainWindow>(new Poller, false);
    m_session = new LabSession(QStringLiteral(SOCKSCOPE_BINARY), m_window.get());
    m_panel = new LabPanel(m_session);
    m_checker = new BindCheckerPanel(m_session);
    // Wired as the lead wires them in the application.
    m_labDock = m_window->addPanel(m_panel, QStringLiteral("Lab"), QStringLiteral("labDock"));
    m_checkerDock = m_window->addPanel(m_checker, QStringLiteral("Bind checker"),
                                       QStringLiteral("bindCheckerDock"));
    connect(m_panel, &LabPanel::focusRequested, m_window.get(), &MainWindow::focusSockets);
    connect(m_checker, &BindCheckerPanel::focusRequested, m_window.get(),
            &MainWindow::focusSockets);
    m_window->show();
    m_labDock->raise();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestLabPanel::cleanupTestCase()
{
    m_window.reset();
}

ConsoleAnswer TestLabPanel::waitForAnswer(QSignalSpy &spy)
{
    if (spy.isEmpty() && !spy.wait(kTimeoutMs))
        return ConsoleAnswer::failure(Error{ETIMEDOUT, QStringLiteral("no answer in time")});
    return spy.takeFirst().at(1).value<ConsoleAnswer>();
}

ConsoleAnswer TestLabPanel::clickAndWait(QPushButton *button)
{
    QSignalSpy spy(m_panel, &LabPanel::commandAnswered);
    QTest::mouseClick(button, Qt::LeftButton);
    return waitForAnswer(spy);
}

void TestLabPanel::openForm(LabForm *form)
{
    m_labDock->raise();
    m_panel->formTabs()->setCurrentWidget(form);
    QVERIFY(form->isVisible());
}

ConsoleAnswer TestLabPanel::listen(const QString &address, const QString &accept)
{
    ListenerForm *form = m_panel->listenerForm();
    openForm(form);
    retype(form->addressEdit(), address);
    if (!choose(form->acceptCombo(), accept))
        return ConsoleAnswer::failure(Error{EINVAL, QStringLiteral("no accept mode ") + accept});
    return clickAndWait(form->button());
}

ConsoleAnswer TestLabPanel::typeAndWait(const QString &line)
{
    QSignalSpy spy(m_panel, &LabPanel::commandAnswered);
    QTest::keyClicks(m_panel->consoleEdit(), line);
    QTest::keyClick(m_panel->consoleEdit(), Qt::Key_Return);
    return waitForAnswer(spy);
}

int TestLabPanel::socketRow(TcpState state, std::uint16_t localPort) const
{
    const SocketTableModel *model = m_window->socketModel();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(SocketTableModel::StateRole).toInt() == static_cast<int>(state) &&
            index.data(SocketTableModel::LocalPortRole).toInt() == localPort &&
            index.data(SocketTableModel::HighlightRole).toInt() >= 0)
            return row;
    }
    return -1;
}

void TestLabPanel::listenerAppearsInTableAndPorts()
{
    m_labDock->raise();
    const ConsoleAnswer answer = listen(QStringLiteral("127.0.0.1:9011"), QStringLiteral("auto"));
    QVERIFY2(answer.ok, qPrintable(answer.firstLine()));
    QCOMPARE(answer.ids.size(), 1);
    QVERIFY(m_panel->objectList()->itemOf(answer.ids.first()));
    QVERIFY(
        m_panel->answerView()->toPlainText().contains(QStringLiteral("> listen 127.0.0.1:9011")));
    // The console line reaches the same lab and the same objects.
    const ConsoleAnswer status = typeAndWait(QStringLiteral("status ") + answer.ids.first());
    QVERIFY2(status.ok && status.text.contains(QStringLiteral("listening")),
             qPrintable(status.firstLine()));
    QVERIFY(m_panel->consoleEdit()->text().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->portModel()->rowOf(9011) >= 0, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(socketRow(TcpState::Listen, 9011) >= 0, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(stateCount(m_window->portModel()->countsFor(9011), TcpState::Listen),
                              1, kTimeoutMs);
}

void TestLabPanel::closingServerLightsCloseWaitAndFinWait2()
{
    m_labDock->raise();
    ConsoleAnswer answer = listen(QStringLiteral("127.0.0.1:9000"), QStringLiteral("close"));
    QVERIFY2(answer.ok, qPrintable(answer.firstLine()));

    ClientForm *clients = m_panel->clientForm();

    openForm(clients);
    retype(clients->targetEdit(), QStringLiteral("127.0.0.1:9000"));
    clients->countSpin()->setValue(3);
    QVERIFY(choose(clients->thenCombo(), QStringLiteral("never-close")));
    answer = clickAndWait(clients->button());
    QVERIFY2(answer.ok, qPrintable(answer.firstLine()));
    QCOMPARE(answer.ids.size(), 3);
    // Clients fired together are one group in the object list.
    QVERIFY(m_panel->objectList()
                ->itemOf(answer.ids.first())
                ->parent()
                ->data(0, Qt::DisplayRole)
                .toString()
                .contains(QStringLiteral("..")));

    const auto counts = [this] { return m_window->portModel()->countsFor(9000); };
    QTRY_VERIFY_WITH_TIMEOUT(stateCount(counts(), TcpState::CloseWait) == 3, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(stateCount(counts(), TcpState::FinWait2) == 3, kTimeoutMs);
    m_window->portsPane()->selectPort(9000);
    QCOMPARE(m_window->portsPane()->selectedPort(), std::optional<std::uint16_t>(9000));
    const auto box = [this](TcpState state) {
        return m_window->diagram()->counts().at(static_cast<std::size_t>(state));
    };
    QTRY_COMPARE_WITH_TIMEOUT(box(TcpState::CloseWait), 3, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(box(TcpState::FinWait2), 3, kTimeoutMs);
    QCOMPARE(box(TcpState::Listen), 1);
}

void TestLabPanel::secondClientFromSamePortFailsInline()
{
    m_labDock->raise();
    QVERIFY(listen(QStringLiteral("127.0.0.1:9020"), QStringLiteral("close")).ok);

    ClientForm *clients = m_panel->clientForm();

    openForm(clients);
    retype(clients->targetEdit(), QStringLiteral("127.0.0.1:9020"));
    // The check box's click area is its indicator and label, at its left.
    QCheckBox *from = clients->fromCheck();
    QTest::mouseClick(from, Qt::LeftButton, {}, QPoint(8, from->height() / 2));
    QVERIFY(clients->fromCheck()->isChecked());
    retype(clients->fromEdit(), QStringLiteral("127.0.0.1:10001"));
    QVERIFY(choose(clients->thenCombo(), QStringLiteral("never-close")));
    ConsoleAnswer answer = clickAndWait(clients->button());
    QVERIFY2(answer.ok, qPrintable(answer.firstLine()));
    QTRY_VERIFY_WITH_TIMEOUT(socketRow(TcpState::CloseWait, 10001) >= 0, kTimeoutMs);

    answer = clickAndWait(clients->button());
    QVERIFY(!answer.ok);
    QCOMPARE(answer.errnoName, QStringLiteral("EADDRINUSE"));
    const QString shown = m_panel->answerView()->toPlainText();
    QVERIFY2(shown.contains(QStringLiteral("EADDRINUSE")), qPrintable(shown));
    QVERIFY(shown.contains(QStringLiteral("select the responsible sockets")));
    QVERIFY(shown.contains(QStringLiteral("CLOSE_WAIT 127.0.0.1:10001 → 127.0.0.1:9020")));

    m_window->portsPane()->selectPort(std::nullopt);
    m_window->socketView()->clearSelection();
    QVERIFY(clickLink(m_panel->answerView(), m_panel->answerView()->lastFocusLink()));
    QCOMPARE(m_window->portsPane()->selectedPort(), std::optional<std::uint16_t>(10001));
    const QModelIndexList rows = m_window->socketView()->selectionModel()->selectedRows();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().data(SocketTableModel::StateRole).toInt(),
             static_cast<int>(TcpState::CloseWait));
    QCOMPARE(rows.first().data(SocketTableModel::LocalPortRole).toInt(), 10001);
}

void TestLabPanel::objectButtonsActOnSelection()
{
    m_labDock->raise();
    LabObjectList *objects = m_panel->objectList();
    const ConsoleAnswer made = listen(QStringLiteral("127.0.0.1:9030"), QStringLiteral("hold"));
    QVERIFY(made.ok);
    const QString id = made.ids.first();

    // What was just made is selected, and each button says its command.
    QPushButton *toggle = objects->button(LabObjectList::Action::ToggleAccept);
    QVERIFY(toggle->isEnabled());
    QVERIFY(toggle->toolTip().contains(QStringLiteral("accept %1 pause").arg(id)));
    QVERIFY(!objects->button(LabObjectList::Action::KillTerm)->isEnabled());
    ConsoleAnswer answer = clickAndWait(toggle);
    QVERIFY2(answer.text.contains(QStringLiteral("accept=pause")), qPrintable(answer.firstLine()));
    QCOMPARE(toggle->text(), QStringLiteral("Resume accept"));
    answer = clickAndWait(toggle);
    // Resume goes back to the mode before the pause.
    QVERIFY2(answer.text.contains(QStringLiteral("accept=hold")), qPrintable(answer.firstLine()));
    QCOMPARE(toggle->text(), QStringLiteral("Pause accept"));

    ClientForm *clients = m_panel->clientForm();

    openForm(clients);
    clients->fromCheck()->setChecked(false);
    retype(clients->targetEdit(), QStringLiteral("127.0.0.1:9030"));
    clients->countSpin()->setValue(4);
    QVERIFY(choose(clients->thenCombo(), QStringLiteral("keep")));
    const ConsoleAnswer fired = clickAndWait(clients->button());
    QVERIFY2(fired.ok, qPrintable(fired.firstLine()));
    const QString range = fired.ids.first() + QStringLiteral("..") + fired.ids.last();
    QCOMPARE(objects->commandsFor(LabObjectList::Action::ResetClient),
             QStringList{QStringLiteral("reset ") + range});
    answer = clickAndWait(objects->button(LabObjectList::Action::ResetClient));
    QVERIFY2(answer.ok && answer.text.contains(QStringLiteral("4 reset")),
             qPrintable(answer.firstLine()));

    objects->selectIds({id});
    QVERIFY(objects->button(LabObjectList::Action::CloseGraceful)
                ->toolTip()
                .contains(QStringLiteral("close %1 graceful").arg(id)));
    answer = clickAndWait(objects->button(LabObjectList::Action::CloseGraceful));
    QVERIFY2(answer.ok && answer.text.contains(QStringLiteral("closed graceful")),
             qPrintable(answer.firstLine()));
    QVERIFY(objects->itemOf(id)->text(1).contains(QStringLiteral("closed graceful")));
    QTRY_VERIFY_WITH_TIMEOUT(socketRow(TcpState::Listen, 9030) < 0, kTimeoutMs);
}

void TestLabPanel::buttonsWaitWhileLabIsBusy()
{
    m_labDock->raise();
    QPushButton *listen = m_panel->listenerForm()->button();
    QVERIFY(listen->isEnabled());
    QSignalSpy spy(m_panel, &LabPanel::commandAnswered);
    QTest::keyClicks(m_panel->consoleEdit(), QStringLiteral("sleep 800"));
    QTest::keyClick(m_panel->consoleEdit(), Qt::Key_Return);
    QVERIFY(m_panel->waiting());
    QVERIFY(!listen->isEnabled());
    QVERIFY(!m_panel->clientForm()->button()->isEnabled());
    QVERIFY(!m_panel->findChild<QPushButton *>(QStringLiteral("labRunButton"))->isEnabled());
    // The window keeps handling events while the lab sleeps on its thread.
    int ticks = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, this, [&ticks] { ++ticks; });
    ticker.start(20);
    QVERIFY(spy.wait(kTimeoutMs));
    QVERIFY2(ticks >= 10, qPrintable(QString::number(ticks)));
    QCOMPARE(spy.first().at(0).toString(), QStringLiteral("sleep 800"));
    QVERIFY(listen->isEnabled());
    QVERIFY(!m_panel->waiting());

    // Up brings the last console line back.
    QTest::keyClick(m_panel->consoleEdit(), Qt::Key_Up);
    QCOMPARE(m_panel->consoleEdit()->text(), QStringLiteral("sleep 800"));
    m_panel->consoleEdit()->clear();
}

void TestLabPanel::serverProcessesReportTheirPids()
{
    if (!QFileInfo::exists(QStringLiteral(SOCKSCOPE_BINARY)))
        QSKIP("the sockscope binary is not built");
    m_labDock->raise();
    const int self = static_cast<int>(QCoreApplication::applicationPid());
    QCOMPARE(m_panel->labPids(), QSet<int>{self});
    QSignalSpy pids(m_panel, &LabPanel::labPidsChanged);
    ServerForm *form = m_panel->serverForm();
    openForm(form);
    retype(form->addressEdit(), QStringLiteral("127.0.0.1:9100"));
    form->nofileSpin()->setValue(64);
    QVERIFY(choose(form->policyCombo(), QStringLiteral("backoff")));
    ConsoleAnswer answer = clickAndWait(form->button());
    QVERIFY2(answer.ok, qPrintable(answer.firstLine()));
    const int pid =
        answer.text.section(QStringLiteral("pid="), 1).section(QLatin1Char(' '), 0, 0).toInt();
    QVERIFY(pid > 0);
    QCOMPARE(pids.size(), 1);
    QCOMPARE(pids.first().first().value<QSet<int>>(), (QSet<int>{self, pid}));
    QTRY_VERIFY_WITH_TIMEOUT(socketRow(TcpState::Listen, 9100) >= 0, kTimeoutMs);

    LabObjectList *objects = m_panel->objectList();
    QCOMPARE(objects->commandsFor(LabObjectList::Action::KillTerm),
             QStringList{QStringLiteral("kill %1 term").arg(answer.ids.first())});
    answer = clickAndWait(objects->button(LabObjectList::Action::KillTerm));
    QVERIFY2(answer.ok && answer.text.contains(QStringLiteral("exited")),
             qPrintable(answer.firstLine()));
    QCOMPARE(pids.size(), 2);
    QCOMPARE(pids.last().first().value<QSet<int>>(), QSet<int>{self});
}

// What the screenshots of the two panels were looked at for, measured instead:
// after a small session ending in an explained error and a bind check, in the
// light and the dark palette, each panel is shown, gets the width it asks for,
// shows every button's whole text, and follows the palette (a dark panel with
// light text, or the reverse).
void TestLabPanel::panelsReadableInBothPalettes()
{
    m_labDock->raise();
    // A failed bind last, so the transcript ends with an explained error.
    ClientForm *clients = m_panel->clientForm();
    openForm(clients);
    clients->fromCheck()->setChecked(true);
    retype(clients->targetEdit(), QStringLiteral("127.0.0.1:9020"));
    retype(clients->fromEdit(), QStringLiteral("127.0.0.1:10001"));
    QVERIFY(choose(clients->thenCombo(), QStringLiteral("never-close")));
    QCOMPARE(clickAndWait(clients->button()).errnoName, QStringLiteral("EADDRINUSE"));
    QVERIFY(clickLink(m_panel->answerView(), m_panel->answerView()->lastFocusLink()));

    m_checkerDock->raise();
    // Port 9000: its listener and the FIN_WAIT2 sockets counting down to their end.
    retype(m_checker->form()->addressEdit(), QStringLiteral("127.0.0.1:9000"));
    QSignalSpy checked(m_checker, &BindCheckerPanel::checked);
    QTest::mouseClick(m_checker->form()->button(), Qt::LeftButton);
    QVERIFY(checked.wait(kTimeoutMs));
    QVERIFY(!m_checker->verdictLabel()->text().isEmpty());

    const QPalette light = QApplication::palette();
    for (const bool dark : {false, true}) {
        QApplication::setPalette(dark ? darkPalette() : light);
        const std::pair<QDockWidget *, QWidget *> panels[] = {{m_labDock, m_panel},
                                                              {m_checkerDock, m_checker}};
        for (const auto &[dock, panel] : panels) {
            dock->raise();
            QCoreApplication::processEvents();
            const QString where =
                dock->objectName() + (dark ? QStringLiteral(", dark") : QString());
            QVERIFY2(panel->isVisible(), qPrintable(where));
            QVERIFY2(panel->width() >= panel->minimumSizeHint().width(), qPrintable(where));
            for (const QAbstractButton *button : panel->findChildren<QAbstractButton *>()) {
                if (button->isVisible() && !button->text().isEmpty())
                    QVERIFY2(button->width() >= button->sizeHint().width(),
                             qPrintable(
                                 where +
                                 QStringLiteral(": button \"%1\" is clipped").arg(button->text())));
            }
            const double lightness = meanLightness(panel->grab().toImage());
            QVERIFY2(dark ? lightness < 0.5 : lightness > 0.5,
                     qPrintable(where + QStringLiteral(": mean lightness %1").arg(lightness)));
            const QPalette &colours = panel->palette();
            QVERIFY2(std::abs(colours.color(QPalette::WindowText).lightnessF() -
                              colours.color(QPalette::Window).lightnessF()) > 0.5,
                     qPrintable(where + QStringLiteral(": text does not stand out")));
        }
    }
    QApplication::setPalette(light);
    m_labDock->raise();
}

// The walk at 1280x800 found the Lab panel wider than its dock: buttons cut
// at the right edge, and a click on Close scrolled the whole panel sideways.
// Every form, and the selected object's buttons, must fit the dock's width.
void TestLabPanel::panelsFitTheirDocksAt1280()
{
    m_window->resize(1280, 800);
    const std::pair<QDockWidget *, QWidget *> panels[] = {{m_labDock, m_panel},
                                                          {m_checkerDock, m_checker}};
    for (const auto &[dock, panel] : panels) {
        dock->raise();
        QCoreApplication::processEvents();
        auto *scroll = qobject_cast<QScrollArea *>(dock->widget());
        QVERIFY(scroll);
        const QString where = QStringLiteral("%1: panel needs %2 px, the dock shows %3 px")
                                  .arg(dock->objectName())
                                  .arg(panel->minimumSizeHint().width())
                                  .arg(scroll->viewport()->width());
        QVERIFY2(panel->minimumSizeHint().width() <= scroll->viewport()->width(),
                 qPrintable(where));
        QVERIFY2(panel->width() <= scroll->viewport()->width(), qPrintable(where));
        QCOMPARE(scroll->horizontalScrollBar()->value(), 0);
    }
    // Each form of the Lab panel (the widest sets the panel's width) and each
    // kind of object's buttons, selected as a learner would.
    m_labDock->raise();
    auto *forms = m_panel->findChild<QTabWidget *>(QStringLiteral("labForms"));
    QVERIFY(forms);
    auto *scroll = qobject_cast<QScrollArea *>(m_labDock->widget());
    for (int tab = 0; tab < forms->count(); ++tab) {
        forms->setCurrentIndex(tab);
        QCoreApplication::processEvents();
        QWidget *form = forms->widget(tab);
        QVERIFY2(form->mapTo(scroll->viewport(), QPoint(form->width(), 0)).x() <=
                     scroll->viewport()->width(),
                 qPrintable(forms->tabText(tab)));
    }
    QTreeWidget *tree = m_panel->objectList()->tree();
    for (QTreeWidgetItemIterator it(tree); *it; ++it) {
        tree->setCurrentItem(*it);
        QCoreApplication::processEvents();
        for (const QPushButton *button : m_panel->objectList()->findChildren<QPushButton *>()) {
            if (!button->isVisible())
                continue;
            const int right = button->mapTo(scroll->viewport(), QPoint(button->width(), 0)).x();
            QVERIFY2(right <= scroll->viewport()->width(),
                     qPrintable(QStringLiteral("%1 with %2 selected ends at %3 of %4")
                                    .arg(button->text(), (*it)->text(0))
                                    .arg(right)
                                    .arg(scroll->viewport()->width())));
        }
    }
    QCOMPARE(scroll->horizontalScrollBar()->value(), 0);
}

SOCKSCOPE_TEST_MAIN_NETNS(TestLabPanel, QApplication)

#include "tst_labpanel.moc"
