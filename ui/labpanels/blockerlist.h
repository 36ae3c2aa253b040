// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "explain/explanation.h"

#include <cstdint>
#include <functional>
#include <QListWidget>
#include <QTimer>

namespace sockscope {

// The sockets a bind check names, one entry each: state and connection, owner,
// and when it goes away. Sockets that a kernel timer ends (TIME_WAIT, an
// orphaned FIN_WAIT2) count down live, from the moment the answer arrived.
// One entry of a few wrapped lines rather than a row of columns: the panel
// lives in a narrow dock, and every field is needed to recognise the socket.
class BlockerList : public QListWidget
{
    Q_OBJECT
public:
    explicit BlockerList(QWidget *parent = nullptr);

    // `answeredMs`: monotonic time the answer arrived; endsInMs counts from there.
    void setCulprits(const QList<Culprit> &culprits, std::int64_t answeredMs);
    QList<std::uint64_t> cookies() const;
    QList<std::uint64_t> selectedCookies() const;
    // Tests replace the clock; defaults to monotonicMs().
    void setClock(std::function<std::int64_t()> clock) { m_clock = std::move(clock); }
    // Rewrites the countdowns (the timer calls it every second).
    void refreshCountdowns();
    // The last line of an entry: the countdown, or how the socket goes away.
    static QString endsLine(const QListWidgetItem *item);

private:
    std::function<std::int64_t()> m_clock;
    std::int64_t m_answeredMs = 0;
    QTimer m_tick; // runs only while something counts down
};

} // namespace sockscope
