// SPDX-License-Identifier: GPL-3.0-or-later
// MainWindow's sources: a tab per source, each with its own running source
// and models, and the per-source view (filter words, selected port) kept
// while another tab is in front and across runs.
#include "diagram/statediagramwidget.h"
#include "itemmodels/eventlogmodel.h"
#include "itemmodels/historymodel.h"
#include "itemmodels/portsummarymodel.h"
#include "itemmodels/socketfilterproxy.h"
#include "itemmodels/sockettablemodel.h"
#include "panes/eventlogpane.h"
#include "panes/historypane.h"
#include "panes/portspane.h"
#include "poller/socketsource.h"
#include "windows/mainwindow.h"
#include "windows/sourcetab.h"

#include <QAction>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QStyle>
#include <QTabBar>
#include <QTableView>

namespace sockscope {

QTabBar *MainWindow::buildTabBar()
{
    // Hidden while one source is open: the window looks as it did before
    // tabs, and a lone tab would only repeat the title.
    m_tabBar = new QTabBar(this);
    m_tabBar->setObjectName(QStringLiteral("sourceTabs"));
    m_tabBar->setAutoHide(true);
    m_tabBar->setDocumentMode(true);
    m_tabBar->setTabsClosable(true);
    m_tabBar->setMovable(true);
    m_tabBar->setExpanding(false);
    m_tabBar->setElideMode(Qt::ElideMiddle);
    connect(m_tabBar, &QTabBar::tabMoved, this,
            [this](int from, int to) { m_tabs.move(from, to); });
    connect(m_tabBar, &QTabBar::currentChanged, this, [this](int index) {
        if (index >= 0 && index < m_tabs.size())
            showTab(m_tabs.at(index));
    });
    connect(m_tabBar, &QTabBar::tabCloseRequested, this, &MainWindow::closeSource);
    const auto shortcut = [this](const QKeySequence &keys, auto slot) {
        auto *action = new QAction(this);
        action->setShortcut(keys);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
    };
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_W),
             [this] { closeSource(static_cast<int>(m_tabs.indexOf(m_tab))); });
    const auto step = [this](int by) {
        const auto count = static_cast<int>(m_tabs.size());
        m_tabBar->setCurrentIndex((m_tabBar->currentIndex() + by + count) % count);
    };
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown), [step] { step(1); });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp), [step] { step(-1); });
    return m_tabBar;
}

void MainWindow::useTabModels(SourceTab *tab)
{
    m_tab = tab;
    m_source = tab->source();
    m_model = tab->model();
    m_ports = tab->ports();
    m_events = tab->events();
    m_history = tab->history();
    m_historyModel = tab->historyModel();
}

void MainWindow::attachTab(SourceTab *tab)
{
    connect(tab, &SourceTab::batchApplied, this, [this, tab](const PollBatch &batch) {
        if (tab == m_tab)
            onBatch(batch);
    });
    connect(tab, &SourceTab::failureChanged, this, [this, tab] { showTabFailure(tab); });
    // A server's privilege, not this machine's, when the source is one.
    connect(tab->source(), &SocketSource::accessChanged, this, [this, tab](const QString &summary) {
        if (tab == m_tab)
            m_privilege->setText(summary);
    });
    tab->model()->setLabPids(m_labPids);
    m_tabs << tab;
    // Before the bar's currentChanged can look it up.
    const int index = m_tabBar->addTab(tab->label());
    m_tabBar->setTabToolTip(index, tab->label());
    SocketSource *source = tab->source();
    source->setIntervalMs(m_interval->value());
    source->setPaused(m_pause->isChecked());
    source->start();
}

const QString &MainWindow::sourceKey() const
{
    return m_tab->key();
}

const QString &MainWindow::sourceLabel() const
{
    return m_tab->label();
}

int MainWindow::sourceCount() const
{
    return static_cast<int>(m_tabs.size());
}

QStringList MainWindow::openSourceKeys() const
{
    QStringList keys;
    for (const SourceTab *tab : m_tabs)
        keys << tab->key();
    return keys;
}

SocketSource *MainWindow::sourceAt(int index) const
{
    return index >= 0 && index < m_tabs.size() ? m_tabs.at(index)->source() : nullptr;
}

void MainWindow::nameSource(const QString &key, const QString &label)
{
    m_tab->rename(key, label);
    const int index = static_cast<int>(m_tabs.indexOf(m_tab));
    m_tabBar->setTabText(index, label);
    showTabFailure(m_tab); // its tooltip names it
    updateTitle();
}

void MainWindow::updateTitle()
{
    const QString &label = m_tab->label();
    setWindowTitle(label.isEmpty() ? tr("SockScope") : tr("SockScope — %1").arg(label));
}

void MainWindow::openSource(SocketSource *source, const QString &key, const QString &label,
                            bool inFront)
{
    auto *tab = new SourceTab(source, key, label, this);
    attachTab(tab);
    if (inFront)
        showTab(tab);
}

bool MainWindow::focusSource(const QString &key)
{
    SourceTab *tab = findTab(key);
    if (tab)
        showTab(tab);
    return tab != nullptr;
}

bool MainWindow::closeSource(int index)
{
    if (m_tabs.size() < 2 || index < 0 || index >= m_tabs.size())
        return false;
    SourceTab *tab = m_tabs.at(index);
    if (tab == m_tab)
        showTab(m_tabs.at(index > 0 ? index - 1 : 1));
    // Out of the list first: removing it from the bar moves the current index.
    m_tabs.removeAt(index);
    m_tabBar->removeTab(index);
    const QString key = tab->key();
    // Its source ends on its own thread: a poll under way (a dump and an
    // owner scan at 100,000 sockets) or an ssh session is not waited for here.
    tab->disposeSource();
    delete tab;
    Q_EMIT sourceClosed(key);
    return true;
}

void MainWindow::showTab(SourceTab *tab)
{
    if (tab == m_tab)
        return;
    keepSourceView();
    m_tab->shown = {m_selectedId, m_proxy->stateFilter(), !m_noticeBar->isHidden(), m_noticeShown};
    m_model->holdRemovals(false); // a press on the table may not see its release
    // Said while the old models are still in: a model reset clears a
    // selection without a word, and the table would keep this port's filter.
    m_portsPane->selectPort(std::nullopt);
    useTabModels(tab);
    m_selectedId = 0;
    m_proxy->setSourceModel(m_model);
    m_portsPane->setModel(m_ports);
    m_eventPane->setModel(m_events);
    m_historyPane->setModel(m_historyModel);
    m_tabBar->setCurrentIndex(static_cast<int>(m_tabs.indexOf(tab)));

    restoreSourceView();
    selectPendingPort();
    const SourceTab::Shown shown = tab->shown;
    applyStateFilter(shown.stateFilter);
    m_noticeShown = shown.noticeShown;
    m_noticeBar->setVisible(shown.noticeVisible);
    if (shown.selectedId == 0 || !showConnection(shown.selectedId))
        showSelected();
    refreshDiagramCounts();
    showTabStatus();
    updateTitle();
    Q_EMIT sourceChanged(tab->key(), tab->label());
}

void MainWindow::showTabStatus()
{
    if (const auto &stats = m_tab->lastDumpStats())
        updateStatus(*stats);
    else
        m_cost->clear();
    if (const auto &stats = m_tab->lastStats())
        updateTraceStatus(*stats);
    else
        m_traceStatus->clear();
    updateShownCount();
    showTabFailure(m_tab);
    m_privilege->setText(m_tab->source()->accessSummary());
}

void MainWindow::showTabFailure(SourceTab *tab)
{
    const int index = static_cast<int>(m_tabs.indexOf(tab));
    const QString &failure = tab->failure();
    m_tabBar->setTabIcon(
        index, failure.isEmpty() ? QIcon() : style()->standardIcon(QStyle::SP_MessageBoxWarning));
    m_tabBar->setTabToolTip(index, failure.isEmpty() ? tab->label()
                                                     : tr("%1: %2").arg(tab->label(), failure));
    if (tab != m_tab)
        return;
    if (failure.isEmpty())
        statusBar()->clearMessage();
    else
        statusBar()->showMessage(failure);
}

void MainWindow::setLabPids(const QSet<int> &pids)
{
    m_labPids = pids;
    for (SourceTab *tab : std::as_const(m_tabs))
        tab->model()->setLabPids(pids);
}

SourceTab *MainWindow::findTab(const QString &key) const
{
    for (SourceTab *tab : m_tabs) {
        if (tab->key() == key)
            return tab;
    }
    return nullptr;
}

bool MainWindow::hasSource(const QString &key) const
{
    return findTab(key) != nullptr;
}

EventLogModel *MainWindow::eventLogOf(const QString &key) const
{
    SourceTab *tab = findTab(key);
    return tab ? tab->events() : nullptr;
}

void MainWindow::refreshSource(const QString &key)
{
    if (SourceTab *tab = findTab(key); tab && tab->source())
        tab->source()->pollNow();
}

MainWindow::SourceView MainWindow::currentView() const
{
    const std::optional<std::uint16_t> port = m_portsPane->selectedPort();
    return {m_filter->text(), port ? int(*port) : -1};
}

void MainWindow::keepSourceView()
{
    const QString &key = m_tab->key();
    if (key.isEmpty())
        return;
    const SourceView view = currentView();
    m_sourceViews.insert(key, view);
    if (!m_persistSettings)
        return;
    QSettings settings;
    settings.beginGroup(QStringLiteral("sources"));
    settings.beginGroup(QString::fromLatin1(key.toUtf8().toPercentEncoding()));
    settings.setValue(QStringLiteral("filter"), view.filter);
    settings.setValue(QStringLiteral("port"), view.port);
}

void MainWindow::restoreSourceView()
{
    const QString &key = m_tab->key();
    SourceView view = m_sourceViews.value(key);
    if (m_persistSettings && !m_sourceViews.contains(key)) {
        QSettings settings;
        settings.beginGroup(QStringLiteral("sources"));
        settings.beginGroup(QString::fromLatin1(key.toUtf8().toPercentEncoding()));
        view.filter = settings.value(QStringLiteral("filter")).toString();
        view.port = settings.value(QStringLiteral("port"), -1).toInt();
    }
    m_filter->setText(view.filter);
    // A new tab's port has no row until its first batch: selected once it has one.
    m_pendingPort = view.port;
}

} // namespace sockscope
