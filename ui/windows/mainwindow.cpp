// SPDX-License-Identifier: GPL-3.0-or-later
#include "windows/mainwindow.h"

#include "models/socketfilterproxy.h"
#include "models/sockettablemodel.h"
#include "poller/poller.h"
#include "util/monotonic.h"

#include <QAction>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>

#include <unistd.h>

namespace sockscope {

MainWindow::MainWindow(Poller *poller, bool persistSettings, QWidget *parent)
    : QMainWindow(parent), m_poller(poller), m_persistSettings(persistSettings), m_model(new SocketTableModel(this)),
      m_proxy(new SocketFilterProxy(this)), m_table(new QTableView(this))
{
    setWindowTitle(tr("SockScope"));
    m_poller->setParent(this);
    m_proxy->setSourceModel(m_model);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SocketTableModel::StateColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    header->setDefaultSectionSize(70);
    header->setStretchLastSection(true);
    m_table->setColumnWidth(SocketTableModel::StateColumn, 105);
    m_table->setColumnWidth(SocketTableModel::LocalColumn, 170);
    m_table->setColumnWidth(SocketTableModel::RemoteColumn, 170);
    m_table->setColumnWidth(SocketTableModel::TimeInStateColumn, 85);
    m_table->setColumnWidth(SocketTableModel::TimerColumn, 120);
    m_table->setColumnWidth(SocketTableModel::OwnerColumn, 300);
    m_table->setColumnWidth(SocketTableModel::FamilyColumn, 50);
    setCentralWidget(m_table);
    buildToolBar();

    m_counts = new QLabel(this);
    m_cost = new QLabel(this);
    m_privilege = new QLabel(this);
    statusBar()->addWidget(m_counts);
    statusBar()->addWidget(m_cost);
    statusBar()->addPermanentWidget(m_privilege);
    m_privilege->setText(::geteuid() == 0
                             ? tr("root: every owner visible")
                             : tr("unprivileged: other users' sockets show owner 'unknown'"));

    connect(m_poller, &Poller::batchReady, this, &MainWindow::onBatch);
    connect(m_poller, &Poller::pollFailed, this,
            [this](const QString &message) { statusBar()->showMessage(message, 5000); });
    auto *clock = new QTimer(this);
    connect(clock, &QTimer::timeout, this, [this] { m_model->tick(monotonicMs()); });
    clock->start(500);

    resize(1100, 650);
    if (m_persistSettings)
        restoreSettings();
    m_poller->start();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildToolBar()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    m_pause = bar->addAction(QIcon::fromTheme(QStringLiteral("media-playback-pause")), tr("&Pause"));
    m_pause->setCheckable(true);
    m_pause->setShortcut(QKeySequence(Qt::Key_Space));
    m_pause->setToolTip(tr("Pause or resume polling (Space)"));
    connect(m_pause, &QAction::toggled, m_poller, &Poller::setPaused);

    bar->addWidget(new QLabel(tr(" Interval "), bar));
    m_interval = new QSpinBox(bar);
    m_interval->setRange(Poller::kMinimumIntervalMs, Poller::kMaximumIntervalMs);
    m_interval->setSuffix(tr(" ms"));
    m_interval->setSingleStep(50);
    m_interval->setValue(Poller::kDefaultIntervalMs);
    connect(m_interval, &QSpinBox::valueChanged, m_poller, &Poller::setIntervalMs);
    bar->addWidget(m_interval);

    bar->addSeparator();
    m_filter = new QLineEdit(bar);
    m_filter->setPlaceholderText(tr("Filter: words that must all match, e.g. time_wait :9000"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMinimumWidth(320);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &SocketFilterProxy::setFilterWords);
    bar->addWidget(m_filter);
    auto *focusFilter = new QAction(this);
    focusFilter->setShortcut(QKeySequence::Find);
    connect(focusFilter, &QAction::triggered, m_filter, [this] { m_filter->setFocus(); m_filter->selectAll(); });
    addAction(focusFilter);
}

void MainWindow::onBatch(const PollBatch &batch)
{
    m_model->applyBatch(batch);
    if (batch.stats.socketCount > 0 || batch.stats.pollNumber > 0)
        updateStatus(batch.stats);
}

void MainWindow::updateStatus(const PollStats &stats)
{
    if (stats.socketCount == 0 && stats.totalUs == 0)
        return; // a destroy-notice batch carries no poll figures
    m_counts->setText(tr("%n socket(s)", nullptr, stats.socketCount) +
                      tr(" · %1 shown").arg(m_proxy->rowCount()));
    m_cost->setText(tr("poll %1 ms (dump %2 ms, owners %3 ms)%4")
                        .arg(stats.totalUs / 1000.0, 0, 'f', 1)
                        .arg(stats.dumpUs / 1000.0, 0, 'f', 1)
                        .arg(stats.ownersUs / 1000.0, 0, 'f', 1)
                        .arg(stats.destroyNotices ? tr(" · destroy notices on") : QString()));
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_table->horizontalHeader()->restoreState(settings.value(QStringLiteral("table/header")).toByteArray());
    m_filter->setText(settings.value(QStringLiteral("table/filter")).toString());
    m_interval->setValue(settings.value(QStringLiteral("poll/interval"), Poller::kDefaultIntervalMs).toInt());
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("table/header"), m_table->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("table/filter"), m_filter->text());
    settings.setValue(QStringLiteral("poll/interval"), m_interval->value());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_persistSettings)
        saveSettings();
    m_poller->stop();
    event->accept();
}

} // namespace sockscope
