// SPDX-License-Identifier: GPL-3.0-or-later
// The window's menus as a user finds them: File > Quit (Ctrl+Q closes), Help
// with the close states primer, the real shortcuts and About; and the poll
// interval, saved or given, is the one the poller uses. With
// SOCKSCOPE_HELP_PNG=/dir/ it saves the help dialogs, to look at.
#include "help/helpmenu.h"
#include "itemmodels/sockettablemodel.h"
#include "poller/poller.h"
#include "windows/mainwindow.h"
#include "windows/windowassembly.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>

using namespace sockscope;

namespace {
// The action of the menu `menuName` (object name) whose text starts with `text`.
QAction *menuAction(const MainWindow &window, const QString &menuName, const QString &text)
{
    for (QAction *entry : window.menuBar()->actions()) {
        if (!entry->menu() || entry->menu()->objectName() != menuName)
            continue;
        for (QAction *action : entry->menu()->actions()) {
            if (action->text().remove(QLatin1Char('&')).startsWith(text))
                return action;
        }
    }
    return nullptr;
}
} // namespace

class TestWindowMenus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("SockScopeTest"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
    }

    void menusComeInOrder()
    {
        AssembledWindow assembled = assembleWindow(QStringLiteral(SOCKSCOPE_BINARY), false);
        QStringList titles;
        for (QAction *action : assembled.window->menuBar()->actions())
            titles << action->text().remove(QLatin1Char('&'));
        QCOMPARE(titles, (QStringList{"File", "View", "Help"}));
    }

    void ctrlQQuits()
    {
        AssembledWindow assembled = assembleWindow(QStringLiteral(SOCKSCOPE_BINARY), false);
        MainWindow &window = *assembled.window;
        QAction *quit = menuAction(window, QStringLiteral("fileMenu"), QStringLiteral("Quit"));
        QVERIFY(quit);
        QCOMPARE(quit->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Q));
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_Q, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 3000);
    }

    void helpExplainsTheCloseStates()
    {
        AssembledWindow assembled = assembleWindow(QStringLiteral(SOCKSCOPE_BINARY), false);
        QAction *primer = menuAction(*assembled.window, QStringLiteral("helpMenu"),
                                     QStringLiteral("How connections close"));
        QVERIFY(primer);
        primer->trigger();
        auto *dialog = assembled.window->findChild<QDialog *>(QStringLiteral("closeStatesPrimer"));
        QVERIFY(dialog && dialog->isVisible());
        const QString text = dialog->findChild<QTextBrowser *>()->toPlainText();
        for (const char *needed : {"CLOSE_WAIT", "close()", "TIME_WAIT", "60 s", "FIN_WAIT2",
                                   "tcp_fin_timeout", "BOUND"})
            QVERIFY2(text.contains(QLatin1String(needed)), needed);
        if (qEnvironmentVariableIsSet("SOCKSCOPE_HELP_PNG")) // to look at it
            dialog->grab().save(qEnvironmentVariable("SOCKSCOPE_HELP_PNG") +
                                QStringLiteral("primer.png"));
    }

    void helpListsTheRealShortcuts()
    {
        AssembledWindow assembled = assembleWindow(QStringLiteral(SOCKSCOPE_BINARY), false);
        const QStringList lines = shortcutLines(assembled.window.get());
        for (const char *line : {"Ctrl+Q\tQuit", "F8\tPause", "Ctrl+F\tFind", "Ctrl+L\tShow Lab",
                                 "Ctrl+G\tShow Guided scenarios", "Esc\tShow all ports"})
            QVERIFY2(lines.contains(QLatin1String(line)), qPrintable(lines.join(QLatin1Char('|'))));
        QAction *keys = menuAction(*assembled.window, QStringLiteral("helpMenu"),
                                   QStringLiteral("Keyboard shortcuts"));
        QVERIFY(keys);
        keys->trigger();
        auto *dialog = assembled.window->findChild<QDialog *>(QStringLiteral("shortcutList"));
        QVERIFY(dialog);
        QVERIFY(dialog->findChild<QTextBrowser *>()->toPlainText().contains(QLatin1String("F8")));
        if (qEnvironmentVariableIsSet("SOCKSCOPE_HELP_PNG"))
            dialog->grab().save(qEnvironmentVariable("SOCKSCOPE_HELP_PNG") +
                                QStringLiteral("shortcuts.png"));
    }

    void aboutSaysVersionLicenceAndPrivileges()
    {
        AssembledWindow assembled = assembleWindow(QStringLiteral(SOCKSCOPE_BINARY), false);
        QAction *about =
            menuAction(*assembled.window, QStringLiteral("helpMenu"), QStringLiteral("About"));
        QVERIFY(about);
        QString text;
        // QMessageBox::about() is modal: read and close it from inside its loop.
        QTimer::singleShot(200, this, [&text] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                text = box->text();
                box->accept();
            }
        });
        about->trigger();
        QVERIFY2(text.contains(QLatin1String("GPL-3.0-or-later")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("root")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("Transitions")), qPrintable(text));
    }

    void columnHeadersExplainThemselves()
    {
        AssembledWindow assembled = assembleWindow(QStringLiteral(SOCKSCOPE_BINARY), false);
        const QAbstractItemModel *model = assembled.window->socketView()->model();
        for (const int column :
             {int(SocketTableModel::TimerColumn), int(SocketTableModel::TimeInStateColumn),
              int(SocketTableModel::OwnerColumn)})
            QVERIFY(
                !model->headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString().isEmpty());
    }

    // A saved interval is the one polled: the spin box shows it and the
    // poller, reporting its own cadence in the status bar, uses it.
    void savedIntervalIsTheOnePolled()
    {
        QSettings().setValue(QStringLiteral("poll/interval"), 1000);
        AssembledWindow assembled =
            assembleWindow(QStringLiteral(SOCKSCOPE_BINARY), true, /*trace*/ false);
        MainWindow &window = *assembled.window;
        QCOMPARE(window.pollIntervalMs(), 1000);
        QTRY_COMPARE_WITH_TIMEOUT(window.traceStatus()->text(),
                                  QStringLiteral("Polling every 1000 ms"), 5000);
        window.setPollIntervalMs(400);
        QTRY_COMPARE_WITH_TIMEOUT(window.traceStatus()->text(),
                                  QStringLiteral("Polling every 400 ms"), 5000);
        window.close(); // saves 400
        QCOMPARE(QSettings().value(QStringLiteral("poll/interval")).toInt(), 400);
    }

private:
    QTemporaryDir m_config;
};

QTEST_MAIN(TestWindowMenus)
#include "tst_windowmenus.moc"
