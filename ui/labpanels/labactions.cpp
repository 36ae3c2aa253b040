// SPDX-License-Identifier: GPL-3.0-or-later
#include "labpanels/labactions.h"

#include "console/consoleanswer.h"
#include "lab/labtypes.h"

#include <QCoreApplication>

namespace sockscope {

namespace {
using Action = LabObjectList::Action;

QString tr(const char *text)
{
    return QCoreApplication::translate("LabActions", text);
}
} // namespace

ActionRule ruleOf(Action action)
{
    const QString listening = QLatin1String(kStateListening);
    const QString orphaned = QLatin1String(kStateOrphaned);
    const QString connected = clientPhaseName(ClientPhase::Connected);
    const QString peerClosed = clientPhaseName(ClientPhase::PeerClosed);
    switch (action) {
    case Action::CloseNaive:
    case Action::ToggleAccept:
        return {QLatin1Char('L'), {listening}};
    case Action::CloseGraceful:
        return {QLatin1Char('L'), {listening, orphaned}};
    case Action::Rebind:
        return {QLatin1Char('L'), {listening, orphaned, QLatin1String(kStateClosed)}};
    case Action::CloseClient:
    case Action::ResetClient:
        return {QLatin1Char('C'),
                {connected, clientPhaseName(ClientPhase::HalfClosed), peerClosed}};
    case Action::ShutdownClient:
        return {QLatin1Char('C'), {connected, peerClosed}};
    case Action::KillTerm:
    case Action::KillKill:
        return {QLatin1Char('P'), {QLatin1String(kStateRunning)}};
    }
    return {};
}

QString actionHelp(Action action, bool resume)
{
    switch (action) {
    case Action::CloseNaive:
        return tr("Naive close: close() the listening descriptor at once, even while its accept "
                  "thread is blocked in accept(). That accept() keeps the socket in LISTEN with "
                  "no owner (S1). Once the socket really closes, the kernel resets the "
                  "connections still queued; the accepted ones stay open.");
    case Action::CloseGraceful:
        return tr("Graceful close: set the stop flag, shutdown() the listener so a blocked "
                  "accept() returns, join the accept thread, then close() (S6). The kernel "
                  "resets the connections still queued; the accepted ones stay open. After a "
                  "naive close it interrupts the orphaned accept() and joins its thread.");
    case Action::Rebind:
        return tr("Listen again on the same address and port with the same options (closing "
                  "gracefully first if open): EADDRINUSE while another socket still holds the "
                  "port.");
    case Action::ToggleAccept:
        return resume ? tr("Call accept() again: the connections waiting in the accept queue "
                           "(the LISTEN row's Recv-Q) are taken.")
                      : tr("Stop calling accept(): the kernel still completes handshakes and "
                           "queues them (the LISTEN row's Recv-Q grows up to the backlog).");
    case Action::CloseClient:
        return tr("close(): sends FIN; the side that closes first ends in TIME_WAIT.");
    case Action::ShutdownClient:
        return tr("Half-close: shutdown(SHUT_WR) sends FIN but can still read; the peer sees "
                  "end of file, the socket stays open until closed.");
    case Action::ResetClient:
        return tr("Reset: SO_LINGER 0, then close(): sends RST, no TIME_WAIT on either side.");
    case Action::KillTerm:
        return tr("SIGTERM (SIGKILL after 2 s): the kernel closes every socket the process "
                  "held.");
    case Action::KillKill:
        return tr("SIGKILL: the process dies at once; the kernel closes every socket it held.");
    }
    return {};
}

QString requirement(Action action)
{
    switch (action) {
    case Action::CloseNaive:
        return tr("Only a listening listener can be closed naively.");
    case Action::CloseGraceful:
        return tr("Only a listening listener, or one a naive close left with an accept thread, "
                  "can be closed gracefully.");
    case Action::Rebind:
        return tr("Only a listener can listen again.");
    case Action::ToggleAccept:
        return tr("Only a listening listener accepts.");
    case Action::CloseClient:
    case Action::ResetClient:
        return tr("Only an open connection can be closed or reset.");
    case Action::ShutdownClient:
        return tr("Only a connection that has not sent its FIN can be half-closed.");
    case Action::KillTerm:
    case Action::KillKill:
        return tr("Only a running process can be killed.");
    }
    return {};
}

QString kindName(QChar kind)
{
    return kind == QLatin1Char('L')   ? tr("a listener")
           : kind == QLatin1Char('C') ? tr("a connection")
                                      : tr("a server process");
}

} // namespace sockscope
