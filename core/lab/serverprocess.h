// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lab/eventreporter.h"
#include "lab/labtypes.h"
#include "lab/serverreport.h"
#include "util/result.h"
#include "util/uniquefd.h"

#include <memory>
#include <QByteArray>
#include <QObject>

class QSocketNotifier;

namespace sockscope {

// The lab's side of one server process (`sockscope __lab-server`): spawns it
// with its report pipe, turns its reports into the ServerStatus and LabEvents,
// and kills and reaps it within deadlines: no zombie, no hang. Lives in the
// lab's thread; QSocketNotifiers on the pipe and on a pidfd notice reports and
// the exit while the lab's event loop runs, status() catches up without one.
class ServerProcess : public QObject
{
    Q_OBJECT
public:
    ServerProcess(QString id, ServerSpec spec, QString executable, LabEventSink sink,
                  QObject *parent = nullptr);
    // Stops a running child (SIGTERM, SIGKILL after 2 s) and reaps it.
    ~ServerProcess() override;

    // Spawns the child and waits (at most 3 s) for it to report listening.
    // Fails with the child's socket/bind/listen errno, explained; with the
    // spawn's errno (EMFILE, ENOENT); ETIMEDOUT when it never reported (killed).
    Status start();
    // Sends `signal`; for anything but SIGKILL waits 2 s, then SIGKILL; waits
    // for the exit and reaps. EINVAL when it is not running.
    Status kill(int signal);
    // Reads what arrived on the pipe and reaps an exited child; never blocks.
    ServerStatus status();
    bool running() const { return m_status.running; }

private:
    Status spawn(UniqueFd &readEnd);
    Status awaitListening();
    void readReports();
    void apply(const ServerReport &report);
    bool reap();
    bool waitForExit(int timeoutMs);
    void dropNotifiers();

    ServerStatus m_status;
    QString m_executable;
    EventReporter m_reporter;
    UniqueFd m_reports;
    UniqueFd m_pidfd;
    QByteArray m_pending;
    std::unique_ptr<QSocketNotifier> m_reportNotifier;
    std::unique_ptr<QSocketNotifier> m_exitNotifier;
    std::optional<ServerReport> m_startError;
    bool m_inErrorStreak = false;
};

} // namespace sockscope
