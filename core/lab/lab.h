// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lab/labtypes.h"
#include "netns/networknamespace.h"
#include "util/result.h"

#include <memory>
#include <QList>
#include <QObject>
#include <QString>

namespace sockscope {

// The lab: real listeners, clients and server processes that the user drives.
// Every method is synchronous and may block up to its timeout (connects,
// joins, waiting for a child to report), so the GUI runs the lab on its own
// thread; the console calls it directly. Objects get ids L1.., C1.., P1..
// that are never reused. Every failure is an Error whose message is
// Explanation::text(), and is also emitted as a LabEvent with the Explanation.
// The destructor closes everything the lab opened, gracefully.
//
// A lab may act inside another network namespace than its caller's: each
// method that makes something enters it (NamespaceScope, on the calling
// thread) for its duration, so listeners, clients and the explanations' dumps
// are made there (a socket stays in the namespace it was made in, its
// accepted connections too), and server processes are spawned from inside
// it, which puts them there before they run. Entering needs root or
// CAP_SYS_ADMIN; without it each such method fails with EPERM, explained.
class Lab : public QObject
{
    Q_OBJECT
public:
    // serverExecutable: the sockscope binary, started as `sockscope __lab-server ...`
    // for server processes. ns: where the lab acts (none chosen: the caller's).
    explicit Lab(QString serverExecutable, NetworkNamespace ns = {}, QObject *parent = nullptr);
    ~Lab() override;

    const NetworkNamespace &networkNamespace() const;

    // Fails with the errno of socket/setsockopt/bind/listen, explained.
    Result<ListenerStatus> listen(const ListenerSpec &spec);
    // Closes the listening socket only: its accepted connections stay open
    // (ListenerStatus::connections). Fails with EINVAL (explained: "no
    // listener L7") for an unknown or closed id.
    Result<ListenerStatus> closeListener(const QString &id, StopMode mode);
    // Closes (gracefully if it is still open) and listens again on the same
    // address and port with the same options: reports EADDRINUSE after a naive close (S1).
    Result<ListenerStatus> rebind(const QString &id);
    Result<ListenerStatus> setAcceptMode(const QString &id, AcceptMode mode);

    // Fires spec.count connections; returns when each has connected, failed or
    // timed out. Fails only for bad specs; per-connection failures are in the statuses.
    Result<QList<ClientStatus>> connect(const ClientSpec &spec);
    // Each acts on a client (C3) or on a connection a listener accepted (L1.2).
    Result<ClientStatus> closeClient(const QString &id);
    Result<ClientStatus> shutdownClient(const QString &id); // SHUT_WR
    Result<ClientStatus> resetClient(const QString &id);    // SO_LINGER 0 + close
    Result<ClientStatus> clientStatus(const QString &id) const;

    // Starts a server process and returns once it reported listening (or failed).
    Result<ServerStatus> startServer(const ServerSpec &spec);
    // SIGTERM or SIGKILL; waits for the exit (SIGKILL after 2 s of SIGTERM).
    Result<ServerStatus> killServer(const QString &id, int signal);
    // Reads what the child reported since the last call (non-blocking).
    Result<ServerStatus> serverStatus(const QString &id);

    QList<ListenerStatus> listeners() const;
    QList<ClientStatus> clients() const;
    QList<ServerStatus> servers() const;

    // Listeners, connections and server processes still open: what closeAll()
    // would close (the kernel's orphans and TIME_WAITs are not counted).
    int openObjects() const;
    // Closes every object gracefully (listeners, clients, then servers).
    void closeAll();

Q_SIGNALS:
    void labEvent(const sockscope::LabEvent &event);

private:
    class Private;
    std::unique_ptr<Private> d;
};

// Entry point of the hidden server mode (`sockscope __lab-server ...`), called
// from main(); reports to the lab over the descriptor given by --report-fd.
int runLabServerProcess(int argc, char **argv);

} // namespace sockscope
