// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "events/connectionhistory.h"
#include "model/tcpstate.h"
#include "poller/pollbatch.h"

#include <cstdint>
#include <optional>
#include <QHash>
#include <QMainWindow>
#include <QSet>

class QAction;
class QDockWidget;
class QLabel;
class QLineEdit;
class QSpinBox;
class QSplitter;
class QTabBar;
class QTableView;
class QToolBar;

namespace sockscope {

class ConnectionDetails;
class EventLogModel;
class EventLogPane;
class HistoryModel;
class HistoryPane;
class SocketSource;
class SourceTab;
class PortSummaryModel;
class PortsPane;
class SocketFilterProxy;
class SocketTableModel;
class StateDiagramWidget;

// The live window: ports pane, socket table, state diagram, details with the
// selected connection's timeline, and docks (event log, and the lab's panels
// added by addDock). Fed by the poller's batches; never calls the kernel.
// Each source shown (this machine, a namespace, a server) is a tab with its
// own running source and models; the panes show the current tab's. The tab
// bar shows only while two or more are open.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Takes the poller (not started) and starts it in the first tab. With persistSettings false
    // (screenshots, tests) nothing is read from or written to QSettings.
    explicit MainWindow(SocketSource *source, bool persistSettings = true,
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    SocketTableModel *socketModel() const { return m_model; }
    SocketFilterProxy *socketProxy() const { return m_proxy; }
    QTableView *socketView() const { return m_table; }
    PortSummaryModel *portModel() const { return m_ports; }
    PortsPane *portsPane() const { return m_portsPane; }
    StateDiagramWidget *diagram() const { return m_diagram; }
    EventLogModel *eventLog() const { return m_events; }
    EventLogPane *eventLogPane() const { return m_eventPane; }
    ConnectionDetails *details() const { return m_details; }
    // Ended connections (and live ones that moved), and the list of the ended.
    const ConnectionHistory &history() const { return *m_history; }
    HistoryModel *historyModel() const { return m_historyModel; }
    HistoryPane *historyPane() const { return m_historyPane; }
    // The current tab's source.
    SocketSource *source() const { return m_source; }
    // The status bar's permanent label: "Tracing every transition · …" or
    // "Polling every N ms" (the trace's notice as its tooltip).
    QLabel *traceStatus() const { return m_traceStatus; }
    // The one-time banner above the panes saying what polling misses and how to
    // trace instead; hidden while tracing and once dismissed.
    QWidget *traceNotice() const { return m_noticeBar; }
    // The strip above the table saying which state a click on the diagram
    // filtered the table to, with a button that clears it; hidden when none.
    QWidget *stateFilterIndicator() const { return m_stateFilterBar; }

    // Adds a dock on the right (tabbed with the others there) and a View menu entry.
    QDockWidget *addPanel(QWidget *panel, const QString &title, const QString &objectName,
                          const QKeySequence &shortcut = {});
    // Selects the port in the ports pane and the connections (by cookie) in the table.
    void focusSockets(std::optional<std::uint16_t> port, const QList<std::uint64_t> &cookies);
    // Shows a connection in the details pane: a live one by selecting its row,
    // an ended one from the history. Returns false when neither knows it.
    bool showConnection(std::uint64_t id);
    // Call after the panels are added: restores geometry, docks, columns, filters.
    // Call after the panels are added: restores geometry, docks, columns,
    // filters and the poll interval.
    void restoreSettings();
    // The toolbar's interval, which the poller follows (--interval sets it
    // after restoreSettings()).
    void setPollIntervalMs(int intervalMs);
    int pollIntervalMs() const;

    // Names the current tab's source (the one given to the constructor):
    // key is stable across runs and keys the per-source settings
    // ("netns:4026531840", "ssh:user@host:22"); label is what the title and
    // its tab say ("this machine", "ip netns blue").
    void nameSource(const QString &key, const QString &label);
    const QString &sourceKey() const;
    const QString &sourceLabel() const;
    // Opens `source` (not started; the window takes and starts it) in a tab
    // of its own, with that source's own filter and selected port, and brings
    // the tab to the front unless `inFront` is false (tabs reopened behind the
    // first: bringing each forward would move the lab there and back). The
    // other tabs' sources keep running.
    void openSource(SocketSource *source, const QString &key, const QString &label,
                    bool inFront = true);
    // Brings the tab showing `key` to the front; false when none does.
    bool focusSource(const QString &key);
    // Whether a tab shows `key`.
    bool hasSource(const QString &key) const;
    // Closes the tab at `index`, stopping its source and dropping what it
    // gathered; false for the last tab, which stays.
    bool closeSource(int index);
    int sourceCount() const;
    // The open tabs' keys, in the tab bar's order (saved as "sources/open").
    QStringList openSourceKeys() const;
    QTabBar *sourceTabs() const { return m_tabBar; }
    SocketSource *sourceAt(int index) const;
    // The lab's processes, marked in every tab's table.
    void setLabPids(const QSet<int> &pids);
    // The event log of the tab showing `key`, or null when none is open.
    EventLogModel *eventLogOf(const QString &key) const;
    // Asks the source of the tab showing `key` for a full poll now: after the
    // lab changed what it shows in ways no tracepoint reports (a descriptor
    // closed, a process gone), while quiet dumps are seconds apart.
    void refreshSource(const QString &key);
    // Adds a widget with its label to the main toolbar, before the interval
    // (the source picker).
    void addToolBarWidget(QWidget *widget, const QString &label);

Q_SIGNALS:
    // After the model took a batch: panels that follow the kernel hook here.
    void batchApplied(const sockscope::PollBatch &batch);
    // Another tab came to the front, or the current one was named (panels
    // that depend on where the sockets come from, like the lab, hook here).
    void sourceChanged(const QString &key, const QString &label);
    // A tab was closed (after the next one came to the front).
    void sourceClosed(const QString &key);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildToolBar();
    void buildCentre();
    void onBatch(const PollBatch &batch);
    void onPortSelected(std::optional<std::uint16_t> port);
    void onConnectionSelected();
    void showSelected();
    void applyStateFilter(std::optional<TcpState> state);
    QWidget *buildStateFilterBar();
    void updateShownCount();
    void refreshDiagramCounts();
    void fitPortsPane();
    void updateStatus(const PollStats &stats);
    void updateTraceStatus(const PollStats &stats);
    void saveSettings() const;
    void selectPendingPort();
    // Tabs (mainwindowsources.cpp).
    QTabBar *buildTabBar();
    void useTabModels(SourceTab *tab);
    void attachTab(SourceTab *tab);
    SourceTab *findTab(const QString &key) const;
    void showTab(SourceTab *tab);
    void showTabFailure(SourceTab *tab);
    void showTabStatus();
    // The filter words and selected port, kept per source while switching.
    struct SourceView
    {
        QString filter;
        int port = -1; // -1: all ports
    };
    SourceView currentView() const;
    void keepSourceView();
    void restoreSourceView();
    void updateTitle();

    // The current tab and its source and models (the panes show these).
    SourceTab *m_tab = nullptr;
    QList<SourceTab *> m_tabs; // in the tab bar's order
    QTabBar *m_tabBar = nullptr;
    QSet<int> m_labPids;
    SocketSource *m_source = nullptr;
    QHash<QString, SourceView> m_sourceViews;
    int m_pendingPort = -1; // a restored port to select once a batch lists it
    QToolBar *m_toolBar = nullptr;
    QAction *m_intervalLabel = nullptr;
    bool m_persistSettings;
    SocketTableModel *m_model = nullptr;
    SocketFilterProxy *m_proxy;
    PortSummaryModel *m_ports = nullptr;
    EventLogModel *m_events = nullptr;
    QTableView *m_table = nullptr;
    PortsPane *m_portsPane = nullptr;
    StateDiagramWidget *m_diagram = nullptr;
    ConnectionDetails *m_details = nullptr;
    EventLogPane *m_eventPane = nullptr;
    QSplitter *m_outer = nullptr;
    QSplitter *m_right = nullptr;
    QSplitter *m_bottom = nullptr;
    QMenu *m_viewMenu = nullptr;
    QList<QDockWidget *> m_rightDocks;
    QLineEdit *m_filter = nullptr;
    QSpinBox *m_interval = nullptr;
    QAction *m_pause = nullptr;
    QLabel *m_counts = nullptr;
    QLabel *m_cost = nullptr;
    QLabel *m_privilege = nullptr;
    QLabel *m_traceStatus = nullptr;
    QWidget *m_noticeBar = nullptr;
    QLabel *m_noticeText = nullptr;
    QWidget *m_stateFilterBar = nullptr;
    QLabel *m_stateFilterText = nullptr;
    bool m_noticeShown = false;      // shown once per tab, never again once dismissed
    int m_portsFitWidth = 0;         // the widest the ports pane was fitted to
    bool m_portsWidthChosen = false; // by the user: the ports pane no longer fits its content
    std::uint64_t m_selectedId = 0;
    ConnectionHistory *m_history = nullptr;
    HistoryModel *m_historyModel = nullptr;
    HistoryPane *m_historyPane = nullptr;
};

} // namespace sockscope
