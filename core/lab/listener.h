// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lab/eventreporter.h"
#include "lab/labtypes.h"
#include "util/result.h"
#include "util/uniquefd.h"

#include <memory>
#include <QObject>
#include <QTimer>
#include <vector>

class QSocketNotifier;

namespace sockscope {

class AcceptThread;
class ClientConnection;

// One lab listener: its listening socket, its accept loop (QSocketNotifier on
// the lab's event loop, or an AcceptThread blocked in accept()), the
// connections it accepted (L1.1, L1.2...: closing the listener leaves them
// open, as in any server), and the accept threads a naive close left behind
// (S1). Lives in the lab's thread; failures are explained (EventReporter).
class Listener : public QObject
{
    Q_OBJECT
public:
    Listener(ListenerSpec spec, LabEventSink sink, QObject *parent = nullptr);
    // finish(): never blocks longer than the bounded joins inside it.
    ~Listener() override;

    void setId(const QString &id) { m_reporter.setObjectId(id); }
    const QString &id() const { return m_reporter.objectId(); }

    // Listens with the spec (after the first success, on the port it got).
    // Fails with the errno of socket/setsockopt/bind/listen, explained.
    Status open();
    // The "listening on ..." event, once the caller has set the id.
    void noteListening();
    // Closes the listening socket only. Fails with EINVAL when it is closed and
    // no orphaned accept thread is left (a graceful close of a naively closed
    // listener ends its orphan: the fix).
    Status close(StopMode mode);
    // Graceful close when open (a naive close is not undone: its orphan still
    // holds the port, so the listen fails with EADDRINUSE, S1), then open().
    Status rebind();
    void setAcceptMode(AcceptMode mode);

    // For the lab's own connects to this listener (see SideWatch): the
    // descriptor while the event loop accepts on it, else -1; and one round of
    // accepting, returning whether to keep watching.
    int acceptingFd() const;
    bool acceptNow();

    ListenerStatus status();
    bool isOpen() const { return m_fd.valid(); }
    bool hasOrphans() const { return !m_orphans.empty(); }
    // An accepted connection by its number (2 for L1.2), or nullptr.
    ClientConnection *connection(int number) const;

    // Graceful close, ends the orphaned accept threads, closes the accepted
    // connections; used by Lab::closeAll().
    void finish();

private:
    void acceptReady();
    void retryAccepting();
    void drainThreads();
    void handleOutcomes(AcceptThread &thread);
    void adopt(UniqueFd fd, const Endpoint &peer);
    void acceptFailed(int errnum);
    void closeConnections();
    void closeGracefully();
    // Closes the listening descriptor; `queued` connections waited in its
    // accept queue (counted before: the close resets them).
    void closeDescriptor(int queued);
    void wakeOrphans();
    QString boundText() const;

    ListenerSpec m_spec;
    Endpoint m_bound;
    bool m_everBound = false;
    LabEventSink m_sink;
    EventReporter m_reporter;
    UniqueFd m_fd;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QTimer m_retryTimer; // re-enables the notifier after EMFILE (backoff)
    int m_retryDelayMs = 100;
    std::unique_ptr<AcceptThread> m_thread;
    std::vector<std::unique_ptr<AcceptThread>> m_orphans;
    std::vector<std::unique_ptr<ClientConnection>> m_connections; // L1.1 is [0]
    int m_accepted = 0;
    int m_queuedReset = 0;
    int m_acceptErrors = 0;
};

} // namespace sockscope
