// SPDX-License-Identifier: GPL-3.0-or-later
#include "windows/mainwindow.h"

#include "diagram/statediagramwidget.h"
#include "format/durationtext.h"
#include "help/helpmenu.h"
#include "itemmodels/eventlogmodel.h"
#include "itemmodels/historymodel.h"
#include "itemmodels/portsummarymodel.h"
#include "itemmodels/socketfilterproxy.h"
#include "itemmodels/sockettablemodel.h"
#include "panes/connectiondetails.h"
#include "panes/eventlogpane.h"
#include "panes/historypane.h"
#include "panes/portspane.h"
#include "poller/poller.h"
#include "poller/traceloss.h"
#include "theme/statuscolors.h"
#include "util/monotonic.h"
#include "windows/sourcetab.h"
#include "windows/tablepresshold.h"

#include <algorithm>
#include <climits>
#include <QAction>
#include <QApplication>
#include <QBoxLayout>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFrame>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QTextDocumentFragment>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

namespace sockscope {

namespace {

// A framed strip across a pane (the trace notice, the state filter), filled
// so that it stands out from the panes around it.
QFrame *stripFrame(QWidget *parent, const QString &objectName, QPalette::ColorRole background)
{
    auto *frame = new QFrame(parent);
    frame->setObjectName(objectName);
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setAutoFillBackground(true);
    frame->setBackgroundRole(background);
    return frame;
}

} // namespace

MainWindow::MainWindow(SocketSource *source, bool persistSettings, QWidget *parent)
    : QMainWindow(parent), m_persistSettings(persistSettings), m_proxy(new SocketFilterProxy(this))
{
    auto *first = new SourceTab(source, {}, {}, this);
    useTabModels(first);
    setWindowTitle(tr("SockScope"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    // The right-hand panels (lab, scenarios) run the full height: their lists
    // and transcripts need it more than the event log needs the width.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    m_proxy->setSourceModel(m_model);
    buildCentre();
    buildToolBar();

    auto *logDock = new QDockWidget(tr("Event log"), this);
    logDock->setObjectName(QStringLiteral("eventLogDock"));
    m_eventPane = new EventLogPane(m_events, logDock);
    logDock->setWidget(m_eventPane);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);
    resizeDocks({logDock}, {150}, Qt::Vertical);
    m_viewMenu->addAction(logDock->toggleViewAction());
    connect(m_eventPane, &EventLogPane::connectionActivated, this,
            [this](quint64 id) { showConnection(id); });

    // Beside the log: the connections that ended, still open to inspection.
    auto *historyDock = new QDockWidget(tr("History"), this);
    historyDock->setObjectName(QStringLiteral("historyDock"));
    m_historyPane = new HistoryPane(m_historyModel, historyDock);
    historyDock->setWidget(m_historyPane);
    addDockWidget(Qt::BottomDockWidgetArea, historyDock);
    tabifyDockWidget(logDock, historyDock);
    logDock->raise();
    m_viewMenu->addAction(historyDock->toggleViewAction());
    connect(m_historyPane, &HistoryPane::connectionActivated, this,
            [this](quint64 id) { showConnection(id); });

    m_counts = new QLabel(this);
    m_cost = new QLabel(this);
    m_privilege = new QLabel(this);
    m_traceStatus = new QLabel(this);
    m_traceStatus->setObjectName(QStringLiteral("traceStatus"));
    m_traceStatus->setTextFormat(Qt::RichText);
    statusBar()->addWidget(m_counts);
    statusBar()->addWidget(m_cost);
    statusBar()->addPermanentWidget(m_traceStatus);
    statusBar()->addPermanentWidget(m_privilege);
    m_privilege->setObjectName(QStringLiteral("privilegeStatus"));

    attachTab(first);
    m_privilege->setText(m_source->accessSummary());
    addHelpMenu(this, [this] {
        return QTextDocumentFragment::fromHtml(m_traceStatus->text()).toPlainText();
    });
    auto *clock = new QTimer(this);
    connect(clock, &QTimer::timeout, this, [this] {
        const std::int64_t now = monotonicMs();
        for (SourceTab *tab : std::as_const(m_tabs))
            tab->tick(now);
        m_details->timeline()->setNow(now);
        // The details count down with the table, batch or no batch, and an
        // ended connection's "N s ago" moves with the clock.
        if (m_selectedId != 0)
            showSelected();
    });
    clock->start(500);
    resize(1360, 860);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildCentre()
{
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("socketView"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SocketTableModel::StateColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    header->setDefaultSectionSize(64);
    header->setStretchLastSection(true);
    // Wide enough for the usual text (IPv4 endpoints, a FIN_WAIT2 countdown),
    // not the longest: longer text elides and the tooltip holds it whole.
    // The sort arrow shares the header with the title.
    const auto fit = [this](const char *sample) {
        return fontMetrics().horizontalAdvance(QString::fromUtf8(sample)) + 18;
    };
    m_table->setColumnWidth(SocketTableModel::StateColumn, fit("ESTABLISHED"));
    m_table->setColumnWidth(SocketTableModel::LocalColumn, fit("127.0.0.1:65535"));
    m_table->setColumnWidth(SocketTableModel::RemoteColumn, fit("127.0.0.1:65535"));
    m_table->setColumnWidth(SocketTableModel::TimeInStateColumn, fit("≥ 1 min 00 s"));
    m_table->setColumnWidth(SocketTableModel::TimerColumn, fit("fin-wait-2 59.9 s"));
    m_table->setColumnWidth(SocketTableModel::OwnerColumn, fit("lab · pid 123456 sockscope +1"));
    m_table->setColumnWidth(SocketTableModel::FamilyColumn, fit("ipv6"));
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::onConnectionSelected);
    new TablePressHold(m_table);

    m_portsPane = new PortsPane(m_ports, this);
    connect(m_portsPane, &PortsPane::portSelected, this, &MainWindow::onPortSelected);
    m_diagram = new StateDiagramWidget(this);
    m_diagram->setTitle(tr("all ports"));
    connect(m_diagram, &StateDiagramWidget::stateClicked, this, [this](TcpState state) {
        // A second click on the same state clears the filter.
        applyStateFilter(m_proxy->stateFilter() == state ? std::nullopt
                                                         : std::optional<TcpState>(state));
    });
    m_details = new ConnectionDetails(this);
    // Small floors so the window fits small screens and exact --screenshot sizes;
    // the splitters hand out the room above them.
    m_diagram->setMinimumSize(240, 260);
    m_details->setMinimumWidth(160);
    m_portsPane->setMinimumWidth(120);
    m_table->setMinimumSize(200, 80);

    m_bottom = new QSplitter(Qt::Horizontal, this);
    m_bottom->setObjectName(QStringLiteral("diagramSplitter"));
    m_bottom->addWidget(m_diagram);
    m_bottom->addWidget(m_details);
    // The details pane holds the ladder, whose two ends need about as much
    // width as the diagram: share the room evenly.
    m_bottom->setStretchFactor(0, 1);
    m_bottom->setStretchFactor(1, 1);
    m_bottom->setSizes({500, 500});
    m_right = new QSplitter(Qt::Vertical, this);
    m_right->setObjectName(QStringLiteral("tableSplitter"));
    auto *tableBox = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->setSpacing(0);
    tableLayout->addWidget(buildStateFilterBar());
    tableLayout->addWidget(m_table, 1);
    m_right->addWidget(tableBox);
    m_right->addWidget(m_bottom);
    // The table scrolls; the diagram and the ladder do not read well small.
    m_right->setStretchFactor(0, 2);
    m_right->setStretchFactor(1, 3);
    m_right->setSizes({320, 480});
    m_outer = new QSplitter(Qt::Horizontal, this);
    m_outer->setObjectName(QStringLiteral("portsSplitter"));
    m_outer->addWidget(m_portsPane);
    m_outer->addWidget(m_right);
    m_outer->setStretchFactor(1, 1);
    m_outer->setSizes({200, 1160});
    // The ports pane is as wide as its columns (they come and go with the
    // states in use) until the user drags the splitter.
    connect(m_outer, &QSplitter::splitterMoved, this, [this] { m_portsWidthChosen = true; });
    QHeaderView *portsHeader = m_portsPane->view()->horizontalHeader();
    const auto fitLater = [this] {
        QMetaObject::invokeMethod(this, &MainWindow::fitPortsPane, Qt::QueuedConnection);
    };
    connect(portsHeader, &QHeaderView::sectionResized, this, fitLater);
    connect(portsHeader, &QHeaderView::geometriesChanged, this, fitLater);

    // Not a dialog: a strip above the panes that the user may close.
    m_noticeBar = stripFrame(this, QStringLiteral("traceNotice"), QPalette::ToolTipBase);
    m_noticeText = new QLabel(m_noticeBar);
    m_noticeText->setWordWrap(true);
    m_noticeText->setForegroundRole(QPalette::ToolTipText);
    m_noticeText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *dismiss = new QToolButton(m_noticeBar);
    dismiss->setObjectName(QStringLiteral("dismissTraceNotice"));
    dismiss->setText(tr("Dismiss"));
    dismiss->setAutoRaise(true);
    connect(dismiss, &QToolButton::clicked, m_noticeBar, &QWidget::hide);
    auto *noticeLayout = new QHBoxLayout(m_noticeBar);
    noticeLayout->setContentsMargins(8, 4, 4, 4);
    noticeLayout->addWidget(m_noticeText, 1);
    noticeLayout->addWidget(dismiss, 0, Qt::AlignTop);
    m_noticeBar->hide();
    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(2);
    centreLayout->addWidget(buildTabBar());
    centreLayout->addWidget(m_noticeBar);
    centreLayout->addWidget(m_outer, 1);
    setCentralWidget(centre);
}

QWidget *MainWindow::buildStateFilterBar()
{
    // The diagram's filter is otherwise invisible: a table showing one row and
    // a status bar saying "1 shown" do not say why the other rows went.
    QFrame *bar = stripFrame(this, QStringLiteral("stateFilterBar"), QPalette::AlternateBase);
    m_stateFilterBar = bar;
    m_stateFilterText = new QLabel(bar);
    m_stateFilterText->setObjectName(QStringLiteral("stateFilterText"));
    auto *clear = new QToolButton(bar);
    clear->setObjectName(QStringLiteral("clearStateFilter"));
    clear->setText(tr("✕ Clear"));
    clear->setToolTip(tr("Show every state again (Esc, or click the state in the diagram again)"));
    clear->setAutoRaise(true);
    connect(clear, &QToolButton::clicked, this, [this] { applyStateFilter(std::nullopt); });
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(8, 1, 2, 1);
    layout->addWidget(m_stateFilterText, 1);
    layout->addWidget(clear);
    bar->hide();
    return bar;
}

void MainWindow::applyStateFilter(std::optional<TcpState> state)
{
    m_proxy->setStateFilter(state);
    m_diagram->setFilteredState(state);
    m_stateFilterBar->setVisible(state.has_value());
    if (state)
        m_stateFilterText->setText(
            tr("Filtered: state <b>%1</b> only").arg(tcpStateDisplayName(*state)));
    updateShownCount();
}

void MainWindow::updateShownCount()
{
    m_counts->setText(tr("%n socket(s)", nullptr, m_model->rowCount()) +
                      tr(" · %1 shown").arg(m_proxy->rowCount()));
}

void MainWindow::fitPortsPane()
{
    if (m_portsWidthChosen)
        return;
    const QTableView *view = m_portsPane->view();
    const int content = view->horizontalHeader()->length() + 2 * view->frameWidth() +
                        view->style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, view);
    // It grows with its columns but does not shrink when one goes: the panes
    // beside it jumping sideways while in use is worse than some empty room.
    const int width = std::max(
        {m_portsFitWidth, m_portsPane->minimumWidth(), std::min(content, m_outer->width() / 4)});
    m_portsFitWidth = width;
    const QList<int> sizes = m_outer->sizes();
    if (sizes.size() == 2 && sizes[0] != width)
        m_outer->setSizes({width, sizes[0] + sizes[1] - width});
}

void MainWindow::buildToolBar()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    QAction *quit =
        file->addAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"));
    connect(quit, &QAction::triggered, this, &QWidget::close);
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    m_pause =
        bar->addAction(QIcon::fromTheme(QStringLiteral("media-playback-pause")), tr("&Pause"));
    m_pause->setCheckable(true);
    m_pause->setShortcut(QKeySequence(Qt::Key_F8));
    m_pause->setToolTip(tr("Pause or resume polling (F8)"));
    connect(m_pause, &QAction::toggled, this, [this](bool paused) {
        for (SourceTab *tab : std::as_const(m_tabs))
            tab->source()->setPaused(paused);
    });
    m_viewMenu->addAction(m_pause);

    m_toolBar = bar;
    m_intervalLabel = bar->addWidget(new QLabel(tr(" Interval "), bar));
    m_interval = new QSpinBox(bar);
    m_interval->setRange(Poller::kMinimumIntervalMs, Poller::kMaximumIntervalMs);
    m_interval->setSuffix(tr(" ms"));
    m_interval->setSingleStep(50);
    m_interval->setValue(Poller::kDefaultIntervalMs);
    m_interval->setToolTip(tr("How often the kernel's socket table is dumped. While tracing, "
                              "transitions come as they happen and this paces the selected "
                              "port's refresh (queues, timers, owners)."));
    // The one way the interval is set: the poller follows the spin box.
    connect(m_interval, &QSpinBox::valueChanged, this, [this](int intervalMs) {
        for (SourceTab *tab : std::as_const(m_tabs))
            tab->source()->setIntervalMs(intervalMs);
    });
    bar->addWidget(m_interval);

    bar->addSeparator();
    m_filter = new QLineEdit(bar);
    m_filter->setObjectName(QStringLiteral("socketFilter"));
    m_filter->setPlaceholderText(
        tr("Filter sockets: words that must all match, e.g. time_wait :9000 (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(200);
    m_filter->setToolTip(tr("Rows must match every word: a state (time_wait), a port (:9000), an "
                            "address, a process name or pid. Ctrl+F goes here, Esc shows all "
                            "ports."));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &SocketFilterProxy::setFilterWords);
    bar->addWidget(m_filter);
    auto *focusFilter = new QAction(tr("Find"), this);
    focusFilter->setShortcut(QKeySequence::Find);
    connect(focusFilter, &QAction::triggered, m_filter, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
    addAction(focusFilter);
    auto *allPorts = new QAction(tr("Show all ports"), this);
    allPorts->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(allPorts, &QAction::triggered, this, [this] {
        m_portsPane->selectPort(std::nullopt);
        applyStateFilter(std::nullopt);
    });
    addAction(allPorts);
    m_viewMenu->addAction(allPorts);
    m_viewMenu->addSeparator();
}

QDockWidget *MainWindow::addPanel(QWidget *panel, const QString &title, const QString &objectName,
                                  const QKeySequence &shortcut)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    // Panels scroll rather than force their full height on the window, so it
    // still fits small screens (and exact --screenshot sizes).
    auto *scroll = new QScrollArea(dock);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(panel);
    scroll->setMinimumWidth(std::min(panel->minimumSizeHint().width() + 16, 300));
    dock->setWidget(scroll);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    if (!m_rightDocks.isEmpty())
        tabifyDockWidget(m_rightDocks.first(), dock);
    else // the table keeps its first six columns at 1280 px
        resizeDocks({dock}, {std::max(300, width() * 27 / 100)}, Qt::Horizontal);
    m_rightDocks << dock;
    QAction *toggle = dock->toggleViewAction();
    if (!shortcut.isEmpty()) {
        toggle->setShortcut(shortcut);
        // The shortcut raises the panel; toggling it off stays in the menu.
        auto *raise = new QAction(tr("Show %1").arg(title), this);
        raise->setShortcut(shortcut);
        connect(raise, &QAction::triggered, dock, [dock] {
            dock->show();
            dock->raise();
        });
        addAction(raise);
        toggle->setShortcut({});
        toggle->setText(
            QStringLiteral("%1\t%2").arg(title, shortcut.toString(QKeySequence::NativeText)));
    }
    m_viewMenu->addAction(toggle);
    return dock;
}

void MainWindow::selectPendingPort()
{
    if (m_pendingPort >= 0 && m_ports->rowOf(static_cast<std::uint16_t>(m_pendingPort)) >= 0) {
        m_portsPane->selectPort(static_cast<std::uint16_t>(m_pendingPort));
        m_pendingPort = -1;
    }
}

// The current tab's batch, already in its models: the rest of the window follows.
void MainWindow::onBatch(const PollBatch &batch)
{
    selectPendingPort();
    const std::optional<std::uint16_t> port = m_portsPane->selectedPort();
    for (const SocketEvent &event : batch.events) {
        if (event.kind != EventKind::StateChanged ||
            (port && !touchesPort(event.connection.socket, *port)))
            continue;
        m_diagram->flashTransition(event.from, event.to);
    }
    refreshDiagramCounts();
    if (m_selectedId != 0)
        onConnectionSelected();
    if (batch.stats.totalUs > 0)
        updateStatus(batch.stats);
    // Trace batches come between dumps: the table and the trace's figures move
    // with each (the dump's socket count would lag behind the table).
    updateShownCount();
    updateTraceStatus(batch.stats);
    Q_EMIT batchApplied(batch);
}

void MainWindow::refreshDiagramCounts()
{
    const std::optional<std::uint16_t> port = m_portsPane->selectedPort();
    if (port) {
        m_diagram->setCounts(m_ports->countsFor(*port));
        return;
    }
    m_diagram->setCounts(m_model->stateCounts());
}

void MainWindow::onPortSelected(std::optional<std::uint16_t> port)
{
    m_pendingPort = -1; // chosen now, by the user or a restore
    m_proxy->setPortFilter(port);
    // While tracing, full dumps are seconds apart: the port in view gets its
    // queues, timers and owners refreshed at the poll interval.
    m_source->setFocusPort(port.value_or(0));
    m_diagram->setTitle(port ? tr("port %1").arg(*port) : tr("all ports"));
    refreshDiagramCounts();
}

void MainWindow::onConnectionSelected()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const ConnectionView *view =
        rows.isEmpty() ? nullptr : m_model->connectionAt(m_proxy->mapToSource(rows.first()).row());
    if (view) {
        m_selectedId = view->id;
        // A socket of the first snapshot that never moved: keep it from now on.
        m_history->remember(*view);
    } else {
        // The row left after its connection ended (or an ended one was asked
        // for): keep showing it. A live one deselected clears the pane.
        const ConnectionEntry *entry = m_history->find(m_selectedId);
        if (!entry || !entry->ended())
            m_selectedId = 0;
    }
    showSelected();
}

bool MainWindow::showConnection(std::uint64_t id)
{
    const int row = m_model->rowOf(id);
    const QModelIndex index =
        row >= 0 ? m_proxy->mapFromSource(m_model->index(row, 0)) : QModelIndex();
    if (index.isValid()) {
        m_table->selectRow(index.row());
        m_table->scrollTo(index);
        return true;
    }
    if (!m_history->find(id))
        return false;
    m_selectedId = id;
    if (m_table->selectionModel()->hasSelection())
        m_table->clearSelection(); // shows it through onConnectionSelected
    else
        showSelected();
    return true;
}

void MainWindow::showSelected()
{
    if (m_selectedId == 0) {
        m_details->clear();
        m_diagram->clearConnectionHistory();
        m_model->setPeerMark(0);
        return;
    }
    // The other end may be a socket of the first snapshot the history has not
    // kept yet: the table finds it by its mirrored 4-tuple.
    if (const ConnectionEntry *self = m_history->find(m_selectedId);
        self && !self->ended() && !m_history->peerOf(m_selectedId)) {
        if (const ConnectionView *other = m_model->connectionAt(m_model->peerRowOf(m_selectedId)))
            m_history->remember(*other);
    }
    const ConnectionEntry *entry = m_history->find(m_selectedId);
    if (!entry) {
        m_details->clear();
        return;
    }
    const ConnectionEntry *peer = m_history->peerOf(m_selectedId);
    m_model->setPeerMark(peer ? peer->view.id : 0);
    const ConnectionView *view = &entry->view;
    // A listener's own address would match every action on its port: only
    // connections (with a peer) collect the lab's mentions.
    QList<ConnectionTimeline::Marker> markers;
    const SocketRecord &s = view->socket;
    if (s.remote.port != 0) {
        const QStringList endpoints{
            s.local.text(s.family) + QStringLiteral(" → ") + s.remote.text(s.family),
            s.remote.text(s.family) + QStringLiteral(" → ") + s.local.text(s.family),
            QStringLiteral("from ") + s.local.text(s.family)};
        for (const EventLogModel::LabMention &mention : m_events->labMentions(endpoints)) {
            if (mention.timeMs >= view->firstSeenMs - 2000)
                markers << ConnectionTimeline::Marker{mention.timeMs, mention.text, mention.error};
        }
    }
    for (const EventLogModel::LabMention &reset : m_events->resetMentions(view->id))
        markers << ConnectionTimeline::Marker{reset.timeMs, reset.text, reset.error};
    std::stable_sort(markers.begin(), markers.end(),
                     [](const auto &a, const auto &b) { return a.timeMs < b.timeMs; });
    m_details->setTimerText(
        m_model->index(m_model->rowOf(view->id), SocketTableModel::TimerColumn).data().toString());
    m_details->showConnection(*entry, peer, monotonicMs(), markers);
    if (entry->ended() && !view->history.isEmpty() &&
        view->history.back().state != TcpState::Close) {
        // Its end is a step too: the diagram walks it into CLOSED.
        ConnectionView closed = *view;
        closed.history.back().leftMs = entry->endedMs;
        closed.history.append(StateSpan{TcpState::Close, entry->endedMs, -1});
        m_diagram->showConnectionHistory(closed);
    } else {
        m_diagram->showConnectionHistory(*view);
    }
}

void MainWindow::focusSockets(std::optional<std::uint16_t> port,
                              const QList<std::uint64_t> &cookies)
{
    // A port without a row cannot be selected: show all ports rather than keep
    // an old port's filter hiding the sockets asked for.
    m_portsPane->selectPort(port && m_ports->rowOf(*port) >= 0 ? port : std::nullopt);
    m_table->clearSelection();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const ConnectionView *view = m_model->connectionAt(row);
        if (!view || !cookies.contains(view->socket.cookie))
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (!index.isValid())
            continue;
        m_table->selectionModel()->select(index,
                                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
        m_table->scrollTo(index);
    }
}

void MainWindow::updateStatus(const PollStats &stats)
{
    // While tracing, a dump runs only every few seconds: its cost is per dump,
    // and how often it runs says what it costs over time.
    const QString cost = tr("%1 %2 ms (sockets %3, owners %4)")
                             .arg(stats.tracing ? tr("last dump") : tr("poll"))
                             .arg(stats.totalUs / 1000.0, 0, 'f', 1)
                             .arg(stats.dumpUs / 1000.0, 0, 'f', 1)
                             .arg(stats.ownersUs / 1000.0, 0, 'f', 1);
    const QString every = stats.tracing && stats.dumpIntervalMs > 0
                              ? tr(" · dumps every %1").arg(durationText(stats.dumpIntervalMs))
                              : QString();
    m_cost->setText(cost + every +
                    (stats.destroyNotices ? tr(" · destroy notices on") : QString()));
}

void MainWindow::updateTraceStatus(const PollStats &stats)
{
    if (stats.tracing) {
        QString text = tr("Tracing every transition · %n event(s)", nullptr,
                          static_cast<int>(std::min<std::uint64_t>(stats.traceEvents, INT_MAX)));
        const std::uint64_t lost = lostTraceEvents(stats);
        if (lost > 0)
            text += QStringLiteral(" · <span style=\"color:%1\">%2</span>")
                        .arg(statusColors(palette()).warning.name(), tr("%1 lost").arg(lost));
        m_traceStatus->setText(text);
        QString tip =
            tr("Every TCP state change and reset comes from the kernel's tracepoints, to the "
               "microsecond. Full dumps only refresh queues, timers and owners.%1")
                .arg(lost > 0 ? tr(" Lost events: %1. The next dump repairs the states they "
                                   "changed.")
                                    .arg(traceLossCauses(stats.traceDrops, stats.traceSkipped))
                              : QString());
        if (!stats.traceNotice.isEmpty())
            tip += QStringLiteral("\n\n") + stats.traceNotice;
        m_traceStatus->setToolTip(tip);
        m_noticeBar->hide();
        return;
    }
    const int interval = stats.dumpIntervalMs > 0 ? stats.dumpIntervalMs : m_interval->value();
    if (stats.backedOff) {
        // Polling on its own keeps under a tenth of a core: a big machine is
        // polled less often than asked, and the user should know why.
        m_traceStatus->setText(
            QStringLiteral("<span style=\"color:%1\">%2</span>")
                .arg(statusColors(palette()).warning.name(),
                     tr("Polling every %1: a full poll costs %2 ms")
                         .arg(durationText(interval))
                         .arg(static_cast<double>(stats.pollCpuUs) / 1000.0, 0, 'f', 0)));
        m_traceStatus->setToolTip(
            tr("Polling is slowed down from every %1 ms so that it takes no more than a tenth "
               "of a core. %2")
                .arg(m_interval->value())
                .arg(stats.traceNotice));
    } else {
        m_traceStatus->setText(tr("Polling every %1 ms").arg(interval));
        m_traceStatus->setToolTip(stats.traceNotice);
    }
    if (!m_noticeShown && !stats.traceNotice.isEmpty()) {
        m_noticeShown = true;
        m_noticeText->setText(stats.traceNotice);
        m_noticeBar->show();
    }
}

void MainWindow::restoreSettings()
{
    if (!m_persistSettings)
        return;
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    // "table/header" held the column order before Owner moved forward.
    m_table->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("table/columns")).toByteArray());
    for (QSplitter *splitter : {m_outer, m_right, m_bottom})
        splitter->restoreState(
            settings.value(QStringLiteral("splitters/") + splitter->objectName()).toByteArray());
    m_portsWidthChosen = settings.contains(QStringLiteral("splitters/") + m_outer->objectName()) &&
                         settings.value(QStringLiteral("splitters/portsWidthChosen")).toBool();
    m_filter->setText(settings.value(QStringLiteral("table/filter")).toString());
    m_portsPane->filterEdit()->setText(settings.value(QStringLiteral("ports/filter")).toString());
    m_eventPane->filterEdit()->setText(settings.value(QStringLiteral("events/filter")).toString());
    m_interval->setValue(
        settings.value(QStringLiteral("poll/interval"), Poller::kDefaultIntervalMs).toInt());
}

void MainWindow::setPollIntervalMs(int intervalMs)
{
    m_interval->setValue(intervalMs);
}

int MainWindow::pollIntervalMs() const
{
    return m_interval->value();
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("table/columns"), m_table->horizontalHeader()->saveState());
    for (const QSplitter *splitter : {m_outer, m_right, m_bottom})
        settings.setValue(QStringLiteral("splitters/") + splitter->objectName(),
                          splitter->saveState());
    settings.setValue(QStringLiteral("splitters/portsWidthChosen"), m_portsWidthChosen);
    settings.setValue(QStringLiteral("table/filter"), m_filter->text());
    settings.setValue(QStringLiteral("ports/filter"), m_portsPane->filterEdit()->text());
    settings.setValue(QStringLiteral("events/filter"), m_eventPane->filterEdit()->text());
    settings.setValue(QStringLiteral("poll/interval"), m_interval->value());
    settings.setValue(QStringLiteral("sources/open"), openSourceKeys());
}

void MainWindow::addToolBarWidget(QWidget *widget, const QString &label)
{
    auto *text = new QLabel(label, m_toolBar);
    text->setBuddy(widget);
    m_toolBar->insertWidget(m_intervalLabel, text);
    m_toolBar->insertWidget(m_intervalLabel, widget);
    m_toolBar->insertSeparator(m_intervalLabel);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    keepSourceView();
    if (m_persistSettings)
        saveSettings();
    for (SourceTab *tab : std::as_const(m_tabs))
        tab->source()->stop();
    event->accept();
}

} // namespace sockscope
