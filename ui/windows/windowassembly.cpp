// SPDX-License-Identifier: GPL-3.0-or-later
#include "windows/windowassembly.h"

#include "guide/scenariopanel.h"
#include "itemmodels/eventlogmodel.h"
#include "itemmodels/sockettablemodel.h"
#include "labpanels/bindcheckerpanel.h"
#include "labpanels/labpanel.h"
#include "session/labsession.h"
#include "sources/namespacesources.h"
#include "sources/sourcepicker.h"
#include "windows/labnamespacenotice.h"
#include "windows/labplacement.h"
#include "windows/mainwindow.h"

#include <QDockWidget>
#include <QLabel>
#include <QSettings>

namespace sockscope {

namespace {
// The lab's docks where the lab cannot act: the reason, where the panels would be.
void addLabOffPanels(MainWindow *window, const QString &reason)
{
    auto *label = new QLabel(reason, window);
    label->setObjectName(QStringLiteral("labOff"));
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    label->setMargin(12);
    window->addPanel(label, QObject::tr("Lab"), QStringLiteral("labDock"),
                     QKeySequence(Qt::CTRL | Qt::Key_L));
    window->restoreSettings();
}
} // namespace

AssembledWindow assembleWindow(const QString &serverExecutable, bool persistSettings, bool trace,
                               const FirstSource &first)
{
    AssembledWindow result;
    if (first.remote) {
        result.window = std::make_unique<MainWindow>(first.remote, persistSettings);
        result.window->nameSource(first.remoteKey, first.remoteLabel);
        addLabOffPanels(result.window.get(), first.labOffReason);
        return result;
    }
    result.window =
        std::make_unique<MainWindow>(makeNamespacePoller(first.ns, trace), persistSettings);
    MainWindow *window = result.window.get();
    window->nameSource(namespaceKey(first.ns), namespaceLabel(first.ns));
    result.sources = new SourcePicker(window);
    result.sources->addLister(namespaceLister(trace));
    if (first.makeRemote)
        result.sources->addLister(sshLister(first.sshConfig, first.makeRemote));
    result.sources->setCurrent(window->sourceKey(), window->sourceLabel());
    window->addToolBarWidget(result.sources, QObject::tr(" Show "));
    result.session = new LabSession(serverExecutable, window);
    // The lab acts in the namespace shown: told before the window switches to it.
    result.placement = new LabPlacement(result.session, window);
    result.placement->remember(window->sourceKey(), first.ns);
    QObject::connect(result.sources, &SourcePicker::chosen, result.placement,
                     [placement = result.placement](const SourceEntry &entry) {
                         if (entry.ns)
                             placement->remember(entry.key, *entry.ns);
                     });
    QObject::connect(window, &MainWindow::sourceChanged, result.placement, &LabPlacement::follow);
    QObject::connect(result.sources, &SourcePicker::chosen, window,
                     [window](const SourceEntry &entry) {
                         window->setSource(entry.make(), entry.key, entry.label);
                     });
    QObject::connect(window, &MainWindow::sourceChanged, result.sources, &SourcePicker::setCurrent);
    result.placement->follow(window->sourceKey(), window->sourceLabel());
    QObject::connect(result.session, &LabSession::labEvent, window->eventLog(),
                     &EventLogModel::appendLabEvent);

    auto *lab = new LabPanel(result.session, window);
    window->addPanel(withNamespaceNotice(lab, result.placement), QObject::tr("Lab"),
                     QStringLiteral("labDock"), QKeySequence(Qt::CTRL | Qt::Key_L));
    QObject::connect(lab, &LabPanel::focusRequested, window, &MainWindow::focusSockets);
    QObject::connect(lab, &LabPanel::labPidsChanged, window->socketModel(),
                     &SocketTableModel::setLabPids);
    window->socketModel()->setLabPids(lab->labPids());

    auto *checker = new BindCheckerPanel(result.session, window);
    window->addPanel(withNamespaceNotice(checker, result.placement), QObject::tr("Bind checker"),
                     QStringLiteral("bindCheckerDock"), QKeySequence(Qt::CTRL | Qt::Key_B));
    QObject::connect(checker, &BindCheckerPanel::focusRequested, window, &MainWindow::focusSockets);

    result.scenarios = new ScenarioPanel(result.session, window);
    QDockWidget *guide = window->addPanel(
        withNamespaceNotice(result.scenarios, result.placement), QObject::tr("Guided scenarios"),
        QStringLiteral("scenarioDock"), QKeySequence(Qt::CTRL | Qt::Key_G));
    QObject::connect(result.scenarios, &ScenarioPanel::focusRequested, window,
                     &MainWindow::focusSockets);
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
