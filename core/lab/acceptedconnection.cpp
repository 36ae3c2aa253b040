// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/acceptedconnection.h"

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
    char buffer[16384];
    // Bounded so a fast sender cannot hold the lab's event loop.
    for (int round = 0; round < 16; ++round) {
        const ssize_t got = ::read(m_fd.get(), buffer, sizeof buffer);
        if (got > 0)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        const int errnum = got == 0 ? 0 : errno;
        if (m_notifier)
            m_notifier->setEnabled(false);
        close();
        Q_EMIT peerClosed(this, errnum);
        return;
    }
}

} // namespace sockscope
