// SPDX-License-Identifier: GPL-3.0-or-later
#include "windows/windowassembly.h"

#include "guide/scenariopanel.h"
#include "itemmodels/eventlogmodel.h"
#include "labpanels/bindcheckerpanel.h"
#include "labpanels/labpanel.h"
#include "remote/remotesource.h"
#include "session/labsession.h"
#include "sources/namespacesources.h"
#include "sources/sourcepicker.h"
#include "util/monotonic.h"
#include "windows/labnamespacenotice.h"
#include "windows/labplacement.h"
#include "windows/mainwindow.h"

#include <functional>
#include <memory>
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

// The lab panel and the bind checker in their docks, each under the line
// that says where the lab acts (labNoticed, checkerNoticed wrap them).
using Noticed = std::function<QWidget *(QWidget *)>;
void addLabDocks(MainWindow *window, LabSession *session, const Noticed &labNoticed,
                 const Noticed &checkerNoticed)
{
    auto *lab = new LabPanel(session, window);
    window->addPanel(labNoticed(lab), QObject::tr("Lab"), QStringLiteral("labDock"),
                     QKeySequence(Qt::CTRL | Qt::Key_L));
    QObject::connect(lab, &LabPanel::focusRequested, window, &MainWindow::focusSockets);
    QObject::connect(lab, &LabPanel::labPidsChanged, window, &MainWindow::setLabPids);
    window->setLabPids(lab->labPids());
    auto *checker = new BindCheckerPanel(session, window);
    window->addPanel(checkerNoticed(checker), QObject::tr("Bind checker"),
                     QStringLiteral("bindCheckerDock"), QKeySequence(Qt::CTRL | Qt::Key_B));
    QObject::connect(checker, &BindCheckerPanel::focusRequested, window, &MainWindow::focusSockets);
}

// A server's lab, asked for (sockscope --ssh HOST --remote-lab): the lab panel
// and the bind checker act there through its agent. The guided scenarios
// stay this machine's: their expectations are this kernel's.
void addRemoteLabPanels(AssembledWindow &result, RemoteSource *remote,
                        const QString &serverExecutable, const QString &key)
{
    MainWindow *window = result.window.get();
    result.session = new LabSession(serverExecutable, window);
    result.session->useRemote(remote);
    const QString host = remote->target().displayName();
    const auto toLog = [window, key](const LabEvent &event) {
        if (EventLogModel *log = window->eventLogOf(key))
            log->appendLabEvent(event);
    };
    QObject::connect(result.session, &LabSession::labEvent, window, toLog);
    QObject::connect(result.session, &LabSession::labLost, window, [toLog](const QString &why) {
        toLog(LabEvent{monotonicMs(), QString(), why, std::nullopt});
    });
    const QString labWhere =
        QObject::tr("The lab acts on %1, through its sockscope agent (--remote-lab): listeners, "
                    "clients and server processes are opened there, as the user ssh logs in as, "
                    "and closed when this window goes.")
            .arg(host);
    const QString checkerWhere = QObject::tr("Bind checks are made on %1.").arg(host);
    addLabDocks(
        window, result.session, [labWhere](QWidget *panel) { return withNotice(panel, labWhere); },
        [checkerWhere](QWidget *panel) { return withNotice(panel, checkerWhere); });
    window->restoreSettings();
}

// The tabs open when the window last closed, if it starts on the same first
// source: reopened behind it once the picker has listed what exists now (a
// namespace gone since is left out), without waiting for the listing here.
void reopenSources(MainWindow *window, SourcePicker *picker, LabPlacement *placement)
{
    const QStringList keys = QSettings().value(QStringLiteral("sources/open")).toStringList();
    if (keys.size() < 2 || keys.first() != window->sourceKey())
        return;
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = QObject::connect(
        picker, &SourcePicker::listed, window, [window, picker, placement, keys, once] {
            QObject::disconnect(*once);
            for (const QString &key : keys.mid(1)) {
                const int index = picker->indexOfKey(key);
                const SourceEntry entry = index >= 0 ? picker->entries().at(index) : SourceEntry{};
                if (entry.ns)
                    placement->remember(entry.key, *entry.ns);
                if (entry.enabled && entry.make && !window->hasSource(key))
                    window->openSource(entry.make(), entry.key, entry.label, false);
            }
        });
    picker->refresh();
}
} // namespace

AssembledWindow assembleWindow(const QString &serverExecutable, bool persistSettings, bool trace,
                               const FirstSource &first)
{
    AssembledWindow result;
    if (first.remote) {
        result.window = std::make_unique<MainWindow>(first.remote, persistSettings);
        result.window->nameSource(first.remoteKey, first.remoteLabel);
        auto *remote = qobject_cast<RemoteSource *>(first.remote);
        if (remote && remote->labWanted())
            addRemoteLabPanels(result, remote, serverExecutable, first.remoteKey);
        else
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
    QObject::connect(window, &MainWindow::sourceClosed, result.placement, &LabPlacement::forget);
    // A pick opens the source in a tab of its own, or brings its tab forward.
    QObject::connect(result.sources, &SourcePicker::chosen, window,
                     [window](const SourceEntry &entry) {
                         if (!window->focusSource(entry.key))
                             window->openSource(entry.make(), entry.key, entry.label);
                     });
    QObject::connect(window, &MainWindow::sourceChanged, result.sources, &SourcePicker::setCurrent);
    result.placement->follow(window->sourceKey(), window->sourceLabel());
    // The lab's events belong to the tab of the namespace it acts in
    // (LabPlacement), which is not the tab in front when that one is a server
    // or a namespace the lab may not enter. That tab's table follows at once:
    // owners change with no transition to trace (S1's listener left with no
    // descriptor), and its next full dump may be 10 s away.
    const auto toOwnLog = [window, placement = result.placement](const LabEvent &event) {
        if (EventLogModel *log = window->eventLogOf(placement->labKey()))
            log->appendLabEvent(event);
        window->refreshSource(placement->labKey());
    };
    QObject::connect(result.session, &LabSession::labEvent, window, toOwnLog);

    const Noticed placed = [placement = result.placement](QWidget *panel) {
        return withNamespaceNotice(panel, placement);
    };
    addLabDocks(window, result.session, placed, placed);

    result.scenarios = new ScenarioPanel(result.session, window);
    QDockWidget *guide = window->addPanel(
        withNamespaceNotice(result.scenarios, result.placement), QObject::tr("Guided scenarios"),
        QStringLiteral("scenarioDock"), QKeySequence(Qt::CTRL | Qt::Key_G));
    QObject::connect(result.scenarios, &ScenarioPanel::focusRequested, window,
                     &MainWindow::focusSockets);
    QObject::connect(result.scenarios, &ScenarioPanel::labActivity, window, toOwnLog);

    window->restoreSettings();
    for (const NetworkNamespace &ns : first.alsoNs) {
        result.placement->remember(namespaceKey(ns), ns);
        window->openSource(makeNamespacePoller(ns, trace), namespaceKey(ns), namespaceLabel(ns),
                           false);
    }
    if (persistSettings && first.alsoNs.isEmpty())
        reopenSources(window, result.sources, result.placement);
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
