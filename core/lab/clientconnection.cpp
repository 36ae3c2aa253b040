// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/clientconnection.h"

#include "lab/labsockets.h"

#include <cerrno>
#include <cstring>
#include <QSocketNotifier>

namespace sockscope {

ClientConnection::ClientConnection(ClientStatus status, UniqueFd fd, int closeDelayMs,
                                   LabEventSink sink, QObject *parent)
    : QObject(parent), m_status(std::move(status)), m_fd(std::move(fd)),
      m_closeDelayMs(closeDelayMs), m_reporter(m_status.id, std::move(sink))
{
    m_closeTimer.setSingleShot(true);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        if (m_fd.valid()) {
            closeNow(ClientPhase::Closed);
            m_reporter.note(QStringLiteral("closed after %1 ms").arg(m_closeDelayMs));
        }
    });
}

ClientConnection::~ClientConnection()
{
    m_notifier.reset();
    m_fd.reset();
}

QString ClientConnection::connectionText() const
{
    return QStringLiteral("%1 -> %2")
        .arg(m_status.local.text(m_status.family), m_status.remote.text(m_status.family));
}

void ClientConnection::start()
{
    m_reporter.note(QStringLiteral("connected %1 (then %2)")
                        .arg(connectionText(), closePolicyName(m_status.policy)));
    switch (m_status.policy) {
    case ClosePolicy::Keep:
    case ClosePolicy::NeverClose:
        watchForEof();
        break;
    case ClosePolicy::Close:
        if (m_closeDelayMs <= 0) {
            closeNow(ClientPhase::Closed);
            m_reporter.note(QStringLiteral("closed at once"));
        } else {
            m_closeTimer.start(m_closeDelayMs);
        }
        break;
    case ClosePolicy::HalfClose:
        shutdownWrite();
        break;
    case ClosePolicy::Reset:
        reset();
        break;
    }
}

Status ClientConnection::requireOpen(const QString &what) const
{
    if (m_fd.valid())
        return Ok{};
    return m_reporter.fail(
        what, plainExplanation(EINVAL,
                               QStringLiteral("%1 %2 is %3")
                                   .arg(m_status.listener.isEmpty() ? QStringLiteral("client")
                                                                    : QStringLiteral("connection"),
                                        m_status.id, clientPhaseName(m_status.phase))));
}

Status ClientConnection::close()
{
    const Status open = requireOpen(QStringLiteral("close"));
    if (!open.ok())
        return open;
    closeNow(ClientPhase::Closed);
    m_reporter.note(QStringLiteral("closed %1").arg(connectionText()));
    return Ok{};
}

Status ClientConnection::shutdownWrite()
{
    const Status open = requireOpen(QStringLiteral("shutdown"));
    if (!open.ok())
        return open;
    if (::shutdown(m_fd.get(), SHUT_WR) != 0) {
        const int errnum = errno;
        return m_reporter.fail(
            QStringLiteral("shutdown(SHUT_WR)"),
            plainExplanation(
                errnum, QStringLiteral("shutdown(SHUT_WR) on %1: %2")
                            .arg(connectionText(), QString::fromLocal8Bit(std::strerror(errnum)))));
    }
    if (m_status.phase != ClientPhase::PeerClosed)
        m_status.phase = ClientPhase::HalfClosed;
    m_reporter.note(QStringLiteral("shutdown(SHUT_WR): sent FIN, still reading"));
    // Still reading: when the peer closes too, close (like a keep client).
    if (m_status.phase == ClientPhase::HalfClosed)
        watchForEof();
    return Ok{};
}

Status ClientConnection::reset()
{
    const Status open = requireOpen(QStringLiteral("reset"));
    if (!open.ok())
        return open;
    setLingerZero(m_fd.get());
    closeNow(ClientPhase::Reset);
    m_reporter.note(
        QStringLiteral("reset %1 (SO_LINGER 0 + close: RST, no TIME_WAIT)").arg(connectionText()));
    return Ok{};
}

void ClientConnection::watchForEof()
{
    if (m_notifier || !m_fd.valid())
        return;
    m_notifier = std::make_unique<QSocketNotifier>(m_fd.get(), QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &ClientConnection::readAvailable);
}

void ClientConnection::readAvailable()
{
    const std::optional<int> ended = discardUntilEnd(m_fd.get());
    if (!ended)
        return;
    const int errnum = *ended;
    if (errnum == 0 && m_status.policy == ClosePolicy::NeverClose &&
        m_status.phase == ClientPhase::Connected) {
        // The bug of S4: the peer's FIN arrived and we never close.
        // EOF stays readable, so stop watching or the loop would spin.
        m_notifier->setEnabled(false);
        m_status.phase = ClientPhase::PeerClosed;
        m_reporter.note(QStringLiteral("the peer closed (FIN); never closing: CLOSE_WAIT"));
        return;
    }
    closeNow(errnum == 0 ? ClientPhase::Closed : ClientPhase::Reset);
    m_reporter.note(errnum == 0
                        ? QStringLiteral("the peer closed (FIN); closed %1").arg(connectionText())
                        : QStringLiteral("read failed (%1); closed %2")
                              .arg(Error{errnum, {}}.errnoName(), connectionText()));
}

void ClientConnection::closeNow(ClientPhase phase)
{
    m_closeTimer.stop();
    // Disabled, not deleted: this may run inside the notifier's own signal.
    if (m_notifier) {
        m_notifier->setEnabled(false);
        m_notifier.release()->deleteLater();
    }
    m_fd.reset();
    m_status.phase = phase;
}

} // namespace sockscope
