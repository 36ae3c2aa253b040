// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagram/diagramlayout.h"
#include "diagram/diagramtext.h"
#include "diagram/historysteps.h"
#include "events/socketevent.h"

#include <array>
#include <optional>
#include <QElapsedTimer>
#include <QList>
#include <QTimer>
#include <QWidget>

namespace sockscope {

class DiagramStepBar;

// The RFC 9293 TCP connection state machine, drawn live: boxes light up with
// the number of connections in each state, observed transitions light up and
// stay lit until the next ones, and one selected connection's history can be
// stepped through (back, forward, replay, live) with its current step's
// transition and state highlighted and captioned in the strip below.
class StateDiagramWidget : public QWidget
{
    Q_OBJECT
public:
    explicit StateDiagramWidget(QWidget *parent = nullptr);

    // Connections now in each state (indexed by TcpState); boxes with a count
    // above zero are filled with the highlight colour, stronger with more.
    void setCounts(const std::array<int, kTcpStateCount> &counts);
    const std::array<int, kTcpStateCount> &counts() const { return m_counts; }

    // A caption drawn in the top-left corner, e.g. "port 9000".
    void setTitle(const QString &title);
    QString title() const { return m_title; }

    // Lights the edge of this transition: bright at first, then settling over
    // flashDurationMs() to a lit rest that stays until a later transition
    // replaces it (transitions within a second of each other stay together, as
    // a handshake's do). Without a direct edge (a poll skipped intermediate
    // states), lights the shortest path between the two states instead.
    // Unknown or equal states: no-op.
    void flashTransition(TcpState from, TcpState to);
    // Edges lit by the latest transitions, in layout edge indices (ascending).
    QList<int> flashingEdges() const;
    int activeFlashes() const { return static_cast<int>(flashingEdges().size()); }
    // Whether a flash is still settling (the widget repaints only then).
    bool flashSettling() const { return m_fadeTimer.isActive(); }
    void setFlashDurationMs(int ms) { m_flashDurationMs = ms > 0 ? ms : 1; }
    int flashDurationMs() const { return m_flashDurationMs; }

    // One connection's path, oldest state first, followed live: its edges are
    // drawn in the trace colour with step numbers, and its state is outlined
    // (dashed when it has left that state too, i.e. the connection is gone).
    void setTracedPath(const QList<StateSpan> &path);
    void clearTracedPath() { clearConnectionHistory(); }
    // The traced edges in step order; a skipped state adds each edge between.
    const QList<int> &tracedEdges() const { return m_tracedEdges; }

    // Stepping through the shown history: step 0 is the first observed state,
    // step n the n-th change of state (see HistorySteps).
    const HistorySteps &steps() const { return m_steps; }
    int currentStep() const { return m_step; }
    // The edges of the current step's transition: drawn strongest.
    QList<int> currentStepEdges() const;
    bool isLive() const { return m_live; }
    bool isReplaying() const { return m_replayTimer.isActive(); }
    void setReplayStepMs(int ms) { m_replayTimer.setInterval(ms); }
    // "step 3 of 7: FIN_WAIT1 → FIN_WAIT2 at +12 ms", as the strip shows it;
    // empty without a history (the strip is hidden then).
    QString stepCaption() const;
    DiagramStepBar *stepBar() const { return m_stepBar; }

    // The state the socket table is filtered to: its box is ringed.
    void setFilteredState(std::optional<TcpState> state);
    std::optional<TcpState> filteredState() const { return m_filteredState; }

    const DiagramLayout &layout() const { return m_layout; }
    // The fonts and label places at the widget's size and font.
    const DiagramText &text() const;
    // A state's box in widget coordinates (the top one for CLOSED); null for Unknown.
    QRectF boxRect(TcpState state) const;
    // Any box by layout index, an edge's route and its label (null when labels
    // are left out at this size), in widget coordinates.
    QRectF boxRectAt(int box) const;
    QPolygonF edgeRoute(int edge) const;
    QRectF labelRect(int edge) const;
    // Where the figure is drawn: above the step strip, when it shows.
    QRectF figureArea() const;

    QSize sizeHint() const override { return {520, 560}; }
    QSize minimumSizeHint() const override { return {390, 420}; }

public Q_SLOTS:
    // Shows this connection's history, alive or ended (its last view). The same
    // connection again keeps the step in view, unless following it live.
    void showConnectionHistory(const sockscope::ConnectionView &view);
    void clearConnectionHistory();
    void stepBack();
    void stepForward();
    // From step 0, one step per replay interval (1.2 s), then live.
    void replay();
    // Back to the newest step, following the connection as it changes.
    void followLive();

Q_SIGNALS:
    // The user clicked the box of this state.
    void stateClicked(sockscope::TcpState state);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    struct Flash
    {
        int edge;
        qint64 startMs;
    };

    DiagramTransform transform() const;
    int boxAtWidgetPoint(const QPointF &point) const;
    int edgeAtWidgetPoint(const QPointF &point) const;
    void setHoveredBox(int box);
    void onFadeTick();
    double flashStrength(const Flash &flash) const;
    void setHistory(const QList<StateSpan> &path, bool keepStep);
    void onReplayTick();
    void showStep(int step, bool live);
    int stepBarHeight() const;
    void layoutStepBar();

    DiagramLayout m_layout;
    std::array<int, kTcpStateCount> m_counts{};
    QString m_title;
    QList<Flash> m_flashes; // at most one per edge
    QElapsedTimer m_clock;
    QTimer m_fadeTimer; // runs only while a flash settles
    int m_flashDurationMs = 3000;
    HistorySteps m_steps;
    std::uint64_t m_historyId = 0; // 0: a path not tied to a connection
    int m_step = 0;
    bool m_live = true;
    QTimer m_replayTimer;
    QList<int> m_tracedEdges;
    QList<QList<int>> m_traceSteps; // per edge: step numbers up to the current step
    std::optional<TcpState> m_filteredState;
    DiagramStepBar *m_stepBar;
    mutable DiagramText m_text; // for m_textArea and m_textFont
    mutable QRectF m_textArea;
    mutable QFont m_textFont;
    int m_hoveredBox = -1;
    int m_pressedBox = -1;
};

} // namespace sockscope
