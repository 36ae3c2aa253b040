// SPDX-License-Identifier: GPL-3.0-or-later
#include "help/helpmenu.h"

#include "help/closestatesprimer.h"

#include <algorithm>
#include <QAction>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <unistd.h>

namespace sockscope {

namespace {

// One non-modal dialog per topic: opening it again raises the same one.
void showTextDialog(QMainWindow *window, const QString &objectName, const QString &title,
                    const QString &html)
{
    auto *dialog = window->findChild<QDialog *>(objectName, Qt::FindDirectChildrenOnly);
    if (!dialog) {
        dialog = new QDialog(window);
        dialog->setObjectName(objectName);
        dialog->setWindowTitle(title);
        auto *text = new QTextBrowser(dialog);
        text->setOpenExternalLinks(true);
        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
        QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
        auto *layout = new QVBoxLayout(dialog);
        layout->addWidget(text, 1);
        layout->addWidget(buttons);
        dialog->resize(620, 560);
    }
    dialog->findChild<QTextBrowser *>()->setHtml(html);
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
}

QString actionName(const QAction *action)
{
    // Menu texts carry mnemonics and, for docks, "\tCtrl+L".
    return action->text().section(QLatin1Char('\t'), 0, 0).remove(QLatin1Char('&'));
}

QString shortcutsHtml(const QMainWindow *window)
{
    QString rows;
    for (const QString &line : shortcutLines(window)) {
        rows += QStringLiteral("<tr><td style='padding-right:16px'><b>%1</b></td><td>%2</td></tr>")
                    .arg(line.section(QLatin1Char('\t'), 0, 0).toHtmlEscaped(),
                         line.section(QLatin1Char('\t'), 1).toHtmlEscaped());
    }
    return QCoreApplication::translate("HelpMenu", "<h3>Keyboard shortcuts</h3><table>%1</table>")
        .arg(rows);
}

QString aboutHtml(const QString &tracing)
{
    const QString version = QCoreApplication::applicationVersion();
    return QCoreApplication::translate(
               "HelpMenu",
               "<h3>SockScope %1</h3>"
               "<p>Shows TCP sockets moving through the TCP state machine, live, and a lab "
               "that makes them move.</p>"
               "<p>Licence: GNU General Public License, version 3 or later "
               "(GPL-3.0-or-later).</p>"
               "<p><b>Privileges:</b> %2<br><b>Transitions:</b> %3</p>")
        .arg(version.isEmpty() ? QStringLiteral("(development build)") : version,
             ::geteuid() == 0
                 ? QCoreApplication::translate("HelpMenu",
                                               "running as root: every socket's owner is visible")
                 : QCoreApplication::translate(
                       "HelpMenu", "not root: other users' sockets show owner 'unknown'"),
             tracing.toHtmlEscaped());
}

} // namespace

QStringList shortcutLines(const QMainWindow *window)
{
    QStringList lines;
    for (const QAction *action : window->findChildren<QAction *>()) {
        const QString name = actionName(action);
        for (const QKeySequence &key : action->shortcuts()) {
            const QString line = key.toString(QKeySequence::NativeText) + QLatin1Char('\t') + name;
            if (!name.isEmpty() && !lines.contains(line))
                lines << line;
        }
    }
    std::sort(lines.begin(), lines.end(), [](const QString &a, const QString &b) {
        return a.section(QLatin1Char('\t'), 1) < b.section(QLatin1Char('\t'), 1);
    });
    return lines;
}

QMenu *addHelpMenu(QMainWindow *window, std::function<QString()> tracingState)
{
    QMenu *menu = window->menuBar()->addMenu(QCoreApplication::translate("HelpMenu", "&Help"));
    menu->setObjectName(QStringLiteral("helpMenu"));
    QAction *primer =
        menu->addAction(QCoreApplication::translate("HelpMenu", "How connections &close"));
    primer->setShortcut(QKeySequence::HelpContents);
    QObject::connect(primer, &QAction::triggered, window, [window] {
        showTextDialog(window, QStringLiteral("closeStatesPrimer"),
                       QCoreApplication::translate("HelpMenu", "How connections close"),
                       closeStatesPrimerHtml());
    });
    QAction *keys = menu->addAction(QCoreApplication::translate("HelpMenu", "&Keyboard shortcuts"));
    QObject::connect(keys, &QAction::triggered, window, [window] {
        showTextDialog(window, QStringLiteral("shortcutList"),
                       QCoreApplication::translate("HelpMenu", "Keyboard shortcuts"),
                       shortcutsHtml(window));
    });
    menu->addSeparator();
    QAction *about = menu->addAction(QCoreApplication::translate("HelpMenu", "&About SockScope"));
    about->setMenuRole(QAction::AboutRole);
    QObject::connect(
        about, &QAction::triggered, window, [window, tracingState = std::move(tracingState)] {
            QMessageBox::about(window, QCoreApplication::translate("HelpMenu", "About SockScope"),
                               aboutHtml(tracingState()));
        });
    return menu;
}

} // namespace sockscope
