// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/acceptedconnection.h"

#include "lab/labsockets.h"

#include <cerrno>
#include <QSocketNotifier>
#include <unistd.h>

namespace sockscope {

AcceptedConnection::AcceptedConnection(UniqueFd fd, Endpoint peer, bool readUntilEof,
                                       QObject *parent)
    : QObject(parent), m_fd(std::move(fd)), m_peer(peer)
{
    if (readUntilEof) {
        m_notifier = std::make_unique<QSocketNotifier>(m_fd.get(), QSocketNotifier::Read);
        connect(m_notifier.get(), &QSocketNotifier::activated, this,
                &AcceptedConnection::readAvailable);
    }
}

AcceptedConnection::~AcceptedConnection()
{
    close();
}

void AcceptedConnection::close()
{
    // The notifier goes first: it must never watch a closed (or reused) number.
    m_notifier.reset();
    m_fd.reset();
}

void AcceptedConnection::readAvailable()
{
    const std::optional<int> ended = discardUntilEnd(m_fd.get());
    if (!ended)
        return;
    if (m_notifier)
        m_notifier->setEnabled(false);
    close();
    Q_EMIT peerClosed(this, *ended);
}

} // namespace sockscope
