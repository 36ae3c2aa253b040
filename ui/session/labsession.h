// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "console/consoleanswer.h"
#include "lab/labtypes.h"
#include "netns/networknamespace.h"
#include "scenarios/transcript.h"

#include <cstdint>
#include <QHash>
#include <QMap>
#include <QMetaType>
#include <QObject>

class QThread;

namespace sockscope {

class RemoteSource;

// The GUI's way into the lab: a lab console and, for the guided panel, a
// scenario runner, both living on a thread of their own, because lab commands
// block (connect timeouts, joins, `wait`). Every request returns at once; the
// answers come back as signals emitted on this object's thread (the GUI's), so
// that even a direct receiver never runs on the lab's.
class LabSession : public QObject
{
    Q_OBJECT
public:
    explicit LabSession(QString serverExecutable, QObject *parent = nullptr);
    // Closes everything the lab opened, gracefully, and joins the thread.
    ~LabSession() override;

    // Runs one console line (the grammar of `sockscope lab`); returns its request id.
    std::uint64_t submit(const QString &line);
    // Loads scenario `id` (S1..S6) with a lab of its own and picks its ports.
    void startScenario(const QString &id);
    // Runs step `index` of the loaded scenario.
    void runScenarioStep(int index);
    // Closes the scenario's lab, and with it every socket and process the
    // scenario opened; scenarioStopped follows.
    void stopScenario();
    // Where the lab acts from now on (none chosen: SockScope's own namespace).
    // A different one closes what the lab and a loaded scenario have open (they
    // live in the old one) and the next command makes a new lab there;
    // networkNamespaceChanged follows. The one asked for last changes nothing.
    void setNetworkNamespace(const NetworkNamespace &ns);
    const NetworkNamespace &networkNamespace() const { return m_namespace; }
    int pending() const { return m_pending; }
    // What the lab and a loaded scenario have open (listeners, connections,
    // server processes), as of the last request they answered.
    int openObjects() const { return m_openObjects; }
    // From now on the console lines go to that server's agent (its lab:
    // RemoteSource::submitLab) and its answers and events come back here;
    // scenarios stay on this machine's lab. Once, before the first submit.
    void useRemote(RemoteSource *remote);
    bool remote() const { return m_remote != nullptr; }
    // The process whose sockets are the lab's own: this one, or the remote's
    // agent (0 until it is connected). labProcessChanged says when it changes.
    int labProcessId() const;

Q_SIGNALS:
    void answered(std::uint64_t request, const QString &line,
                  const sockscope::ConsoleAnswer &answer);
    void labEvent(const sockscope::LabEvent &event);
    void scenarioReady(const QString &id, const QString &error, const QMap<QString, int> &ports);
    void scenarioStepDone(int index, const sockscope::StepRecord &record);
    // How many of the scenario's objects are open, sent before each scenarioStepDone.
    void scenarioObjectsOpen(int count);
    void scenarioStopped();
    // The lab now acts in `spec` (empty: SockScope's own namespace); `closed`
    // objects (listeners, connections, server processes) of the old one were closed.
    void networkNamespaceChanged(const QString &spec, int closed);
    // The remote lab's objects went away with its agent (the connection
    // ended): why. The next command starts a new lab there.
    void labLost(const QString &why);
    void labProcessChanged();
    // openObjects() changed.
    void openObjectsChanged(int count);
    // A request was queued or answered (pending() changed).
    void busyChanged(bool busy);

private:
    class Worker;
    void track(int delta);

    QThread *m_thread;
    Worker *m_worker;
    NetworkNamespace m_namespace; // the last one asked for
    std::uint64_t m_nextRequest = 1;
    RemoteSource *m_remote = nullptr;
    QHash<std::uint64_t, QString> m_remoteLines; // sent to the remote: request -> line
    int m_pending = 0;
    int m_openObjects = 0;
};

} // namespace sockscope
