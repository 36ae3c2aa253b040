// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/socketrecord.h"
#include "util/uniquefd.h"

#include <memory>
#include <QObject>

class QSocketNotifier;

namespace sockscope {

// One connection a lab listener accepted. With readUntilEof (accept mode
// auto) it reads and discards what arrives and closes when the peer closes;
// without (hold) it never reads, so a peer's FIN leaves it in CLOSE_WAIT.
class AcceptedConnection : public QObject
{
    Q_OBJECT
public:
    AcceptedConnection(UniqueFd fd, Endpoint peer, bool readUntilEof, QObject *parent = nullptr);
    ~AcceptedConnection() override;

    const Endpoint &peer() const { return m_peer; }
    bool isOpen() const { return m_fd.valid(); }
    void close();

Q_SIGNALS:
    // The peer closed (read() returned 0) or reset; the descriptor is closed already.
    void peerClosed(sockscope::AcceptedConnection *connection, int errnum);

private:
    void readAvailable();

    UniqueFd m_fd;
    Endpoint m_peer;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace sockscope
