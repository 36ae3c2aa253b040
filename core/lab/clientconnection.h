// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lab/eventreporter.h"
#include "lab/labtypes.h"
#include "util/result.h"
#include "util/uniquefd.h"

#include <memory>
#include <QObject>
#include <QTimer>

class QSocketNotifier;

namespace sockscope {

// One lab client connection and its close policy. A failed connect is a
// ClientConnection too (no descriptor, phase Failed), so every id the lab
// handed out answers status(). A connection a lab listener accepted is one
// too (id "L1.2"): closed, half-closed or reset on its own. Lives in the lab's thread: keep,
// half-close and never-close watch the socket with a QSocketNotifier to see the peer's FIN.
class ClientConnection : public QObject
{
    Q_OBJECT
public:
    // `status` carries the id, addresses, policy and phase (Connected or Failed).
    ClientConnection(ClientStatus status, UniqueFd fd, int closeDelayMs, LabEventSink sink,
                     QObject *parent = nullptr);
    ~ClientConnection() override;

    // Applies the close policy right after the connect (announces the connect).
    void start();
    // For an accepted connection served like a keep client: reads and
    // discards, and closes when the peer closes.
    void watchPeer() { watchForEof(); }

    // Each fails with EINVAL (explained) when the connection is not open.
    Status close();
    Status shutdownWrite(); // SHUT_WR: our FIN, the peer may still send
    Status reset();         // SO_LINGER 0 + close: RST, no TIME_WAIT

    const ClientStatus &status() const { return m_status; }
    bool isOpen() const { return m_fd.valid(); }

private:
    Status requireOpen(const QString &what) const;
    void watchForEof();
    void readAvailable();
    void closeNow(ClientPhase phase);
    QString connectionText() const;

    ClientStatus m_status;
    UniqueFd m_fd;
    int m_closeDelayMs = 0;
    EventReporter m_reporter;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QTimer m_closeTimer;
};

} // namespace sockscope
