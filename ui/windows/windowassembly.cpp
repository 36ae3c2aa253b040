// SPDX-License-Identifier: GPL-3.0-or-later
#include "windows/windowassembly.h"

#include "guide/scenariopanel.h"
#include "models/eventlogmodel.h"
#include "poller/poller.h"
#include "session/labsession.h"
#include "windows/mainwindow.h"
#include "models/sockettablemodel.h"

#include <QCoreApplication>
#include <QDockWidget>
#include <QSettings>

namespace sockscope {

AssembledWindow assembleWindow(const QString &serverExecutable, bool persistSettings)
{
    AssembledWindow result;
    result.window = std::make_unique<MainWindow>(new Poller, persistSettings);
    MainWindow *window = result.window.get();
    result.session = new LabSession(serverExecutable, window);
    // The lab lives in this process: its sockets are ours (server processes are
    // added as they start).
    window->socketModel()->setLabPids({static_cast<int>(QCoreApplication::applicationPid())});
    QObject::connect(result.session, &LabSession::labEvent, window->eventLog(), &EventLogModel::appendLabEvent);

    result.scenarios = new ScenarioPanel(result.session, window);
    QDockWidget *guide = window->addPanel(result.scenarios, QObject::tr("Guided scenarios"),
                                          QStringLiteral("scenarioDock"), QKeySequence(Qt::CTRL | Qt::Key_G));
    QObject::connect(result.scenarios, &ScenarioPanel::focusRequested, window, &MainWindow::focusSockets);
    QObject::connect(result.scenarios, &ScenarioPanel::labActivity, window->eventLog(),
                     &EventLogModel::appendLabEvent);

    window->restoreSettings();
    if (persistSettings) {
        // A learner meets the product through the scenarios: offer them on first start.
        QSettings settings;
        if (!settings.value(QStringLiteral("guide/offered")).toBool()) {
            guide->show();
            guide->raise();
            settings.setValue(QStringLiteral("guide/offered"), true);
        }
    }
    return result;
}

} // namespace sockscope
