// SPDX-License-Identifier: GPL-3.0-or-later
#include "diagram/statehelp.h"

#include <QCoreApplication>

namespace sockscope {

QString tcpStateMeaning(TcpState state)
{
    const auto tr = [](const char *text) {
        return QCoreApplication::translate("sockscope::StateDiagram", text);
    };
    switch (state) {
    case TcpState::Unknown:
        return {};
    case TcpState::Close:
        return tr("No connection: the socket is not connected, or its connection is over.");
    case TcpState::Listen:
        return tr("A server socket waiting for connection requests (SYNs) on its port.");
    case TcpState::SynSent:
        return tr("connect() sent a SYN and waits for the peer's SYN,ACK.");
    case TcpState::SynRecv:
        return tr("A SYN arrived and a SYN,ACK went back; waiting for the final ACK of the "
                  "handshake.");
    case TcpState::Established:
        return tr("The handshake is done: both sides can send data.");
    case TcpState::FinWait1:
        return tr("This side called close() and sent a FIN; waiting for it to be "
                  "acknowledged.");
    case TcpState::FinWait2:
        return tr("Our FIN was acknowledged; waiting for the peer to close its side.");
    case TcpState::Closing:
        return tr("Both sides sent a FIN at the same time; waiting for the ACK of ours.");
    case TcpState::TimeWait:
        return tr("Closed, but the port pair is held for 2 MSL (60 s on Linux) so late "
                  "segments of this connection cannot confuse a new one.");
    case TcpState::CloseWait:
        return tr("The peer closed; this side has not called close() yet: a leak if it "
                  "lasts.");
    case TcpState::LastAck:
        return tr("The peer closed first, then this side closed; waiting for the ACK of "
                  "our FIN.");
    }
    return {};
}

QString tcpStateFigureName(TcpState state)
{
    return tcpStateDisplayName(state);
}

} // namespace sockscope
