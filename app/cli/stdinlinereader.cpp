// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/stdinlinereader.h"

#include <cerrno>
#include <QSocketNotifier>
#include <unistd.h>

namespace sockscope::cli {

StdinLineReader::StdinLineReader(int fd, std::function<bool(const QString &)> handler,
                                 QObject *parent)
    : QObject(parent), m_fd(fd), m_handler(std::move(handler)),
      m_notifier(std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read))
{
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &StdinLineReader::readAvailable);
}

StdinLineReader::~StdinLineReader() = default;

void StdinLineReader::readAvailable()
{
    m_notifier->setEnabled(false);
    char buffer[65536];
    const ssize_t length = ::read(m_fd, buffer, sizeof buffer);
    if (length < 0 && (errno == EINTR || errno == EAGAIN)) {
        m_notifier->setEnabled(true);
        return;
    }
    if (length <= 0) {
        // End of input (or an unreadable descriptor): a last line without a
        // newline still counts.
        if (m_dropped > 0) {
            deliverOverlong();
        } else if (!m_pending.isEmpty()) {
            const QString last = QString::fromUtf8(m_pending);
            m_pending.clear();
            m_handler(last);
        }
        finish();
        return;
    }
    m_pending.append(buffer, length);
    if (!deliverCompleteLines()) {
        finish();
        return;
    }
    m_notifier->setEnabled(true);
}

bool StdinLineReader::deliverCompleteLines()
{
    qsizetype newline = 0;
    while ((newline = m_pending.indexOf('\n')) >= 0) {
        if (m_dropped > 0 || newline > kMaxLineBytes) {
            m_dropped += newline;
            m_pending.remove(0, newline + 1);
            if (!deliverOverlong())
                return false;
            continue;
        }
        QByteArray line = m_pending.left(newline);
        m_pending.remove(0, newline + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (!m_handler(QString::fromUtf8(line)))
            return false;
    }
    if (m_dropped > 0 || m_pending.size() > kMaxLineBytes) {
        m_dropped += m_pending.size();
        m_pending.clear();
    }
    return true;
}

bool StdinLineReader::deliverOverlong()
{
    const qsizetype length = m_dropped;
    m_dropped = 0;
    return !m_overlong || m_overlong(length);
}

void StdinLineReader::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_notifier->setEnabled(false);
    Q_EMIT finished();
}

} // namespace sockscope::cli
