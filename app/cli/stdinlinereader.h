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
class StdinLineReader : public QObject
{
    Q_OBJECT
public:
    StdinLineReader(int fd, std::function<bool(const QString &)> handler,
                    QObject *parent = nullptr);
    ~StdinLineReader() override;

Q_SIGNALS:
    void finished();

private:
    void readAvailable();
    bool deliverCompleteLines();
    void finish();

    int m_fd;
    std::function<bool(const QString &)> m_handler;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QByteArray m_pending;
    bool m_done = false;
};

} // namespace sockscope::cli
