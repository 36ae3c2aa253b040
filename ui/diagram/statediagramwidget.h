// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "diagram/diagramlayout.h"
#include "events/socketevent.h"

#include <array>
#include <QElapsedTimer>
#include <QList>
#include <QTimer>
#include <QWidget>

namespace sockscope {

// The RFC 9293 TCP connection state machine, drawn live: boxes light up with
// the number of connections in each state, observed transitions flash and fade,
// and one selected connection's path is traced with numbered steps.
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

    // Lights the edge of this transition and fades it out. When the figure has
    // no direct edge (a poll skipped intermediate states), lights the shortest
    // path between the two states instead. Unknown or equal states: no-op.
    void flashTransition(TcpState from, TcpState to);
    // Edges still fading, in layout edge indices (ascending).
    QList<int> flashingEdges() const;
    int activeFlashes() const { return static_cast<int>(flashingEdges().size()); }
    void setFlashDurationMs(int ms) { m_flashDurationMs = ms > 0 ? ms : 1; }
    int flashDurationMs() const { return m_flashDurationMs; }

    // One connection's own path, oldest state first: its edges are drawn in the
    // trace colour with step numbers, and its last state is outlined (dashed
    // when it has left that state too, i.e. the connection is gone).
    void setTracedPath(const QList<StateSpan> &path);
    void clearTracedPath();
    // The traced edges in step order; a skipped state adds each edge between.
    const QList<int> &tracedEdges() const { return m_tracedEdges; }

    const DiagramLayout &layout() const { return m_layout; }
    // A state's box in widget coordinates (the top one for CLOSED); null for Unknown.
    QRectF boxRect(TcpState state) const;
    // Any box by layout index, an edge's route and its label, in widget coordinates.
    QRectF boxRectAt(int box) const;
    QPolygonF edgeRoute(int edge) const;
    QRectF labelRect(int edge) const;

    QSize sizeHint() const override { return {520, 560}; }
    QSize minimumSizeHint() const override { return {390, 420}; }

Q_SIGNALS:
    // The user clicked the box of this state.
    void stateClicked(sockscope::TcpState state);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
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
    void setHoveredBox(int box);
    void onFadeTick();
    double flashStrength(const Flash &flash) const;

    DiagramLayout m_layout;
    std::array<int, kTcpStateCount> m_counts{};
    QString m_title;
    QList<Flash> m_flashes; // at most one per edge
    QElapsedTimer m_clock;
    QTimer m_fadeTimer; // runs only while something fades
    int m_flashDurationMs = 3000;
    QList<StateSpan> m_tracedPath;
    QList<int> m_tracedEdges;
    QList<QList<int>> m_traceSteps; // per edge: step numbers
    int m_hoveredBox = -1;
    int m_pressedBox = -1;
};

} // namespace sockscope
