// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <memory>
#include <QByteArray>
#include <QObject>
#include <QString>

class QSocketNotifier;

namespace sockscope::cli {

// Reads lines from a descriptor (a terminal, a pipe or a file) on the event
// loop and hands them to `handler` one at a time. The notifier is off while
// the handler runs, so a handler that runs the event loop itself (`wait`)
// never sees the next line early. Emits finished() at end of input or when
// the handler returns false.
// A line longer than kMaxLineBytes is not kept: its bytes are dropped as they
// come (a stream without newlines cannot grow the process without bound) and
// `overlong` is told its length at its end instead of `handler`.
class StdinLineReader : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype kMaxLineBytes = 64 * 1024;

    StdinLineReader(int fd, std::function<bool(const QString &)> handler,
                    QObject *parent = nullptr);
    ~StdinLineReader() override;

    // Told each over-long line's length in bytes; false ends the reading.
    // Unset: such lines are dropped silently.
    void setOverlongHandler(std::function<bool(qsizetype)> overlong)
    {
        m_overlong = std::move(overlong);
    }

Q_SIGNALS:
    void finished();

private:
    void readAvailable();
    bool deliverCompleteLines();
    bool deliverOverlong();
    void finish();

    int m_fd;
    std::function<bool(const QString &)> m_handler;
    std::unique_ptr<QSocketNotifier> m_notifier;
    std::function<bool(qsizetype)> m_overlong;
    QByteArray m_pending;
    qsizetype m_dropped = 0; // bytes of an over-long line dropped so far
    bool m_done = false;
};

} // namespace sockscope::cli
