// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "poller/socketsource.h"
#include "remote/remotesession.h"
#include "remote/sshtarget.h"

#include <QString>

class QThread;

namespace sockscope {

// A server's sockets over ssh: runs the system's OpenSSH client (the user's
// config, agent and known_hosts) with the remote command of sshtarget.h and
// turns what comes back, the agent protocol or the ss fallback, into
// PollBatches. The reading and parsing run on a thread of its own
// (RemoteSession): the thread this lives on only receives finished batches,
// and no call here waits for the network, the ssh process or a parse.
//
// A dropped connection is retried after 1 s, doubling to 30 s (when
// reconnecting is on); the batches carry on with the same connection ids and
// history (SessionStitch), and pollFailed/pollRecovered say what happened.
// A remote that does not speak our protocol (garbage, another version) is not
// retried: fatalError says why, once.
class RemoteSource : public SocketSource
{
    Q_OBJECT
public:
    explicit RemoteSource(SshTarget target, QObject *parent = nullptr);
    ~RemoteSource() override;

    // Before start(): ask the agent to poll only.
    void setTracing(bool wanted) { m_settings.tracing = wanted; }
    // Before start(): retry dropped or failed connections (the window, watch);
    // off, the first failure ends the source (dump).
    void setReconnect(bool reconnect) { m_settings.reconnect = reconnect; }
    // Before start(): read ss even where sockscope is installed (tests, and a
    // server whose sockscope misbehaves).
    void setForceSs(bool force) { m_settings.forceSs = force; }
    // Before start(): passwords and passphrases asked through this program
    // (SSH_ASKPASS, forced), run with `variable`=1 in its environment (the
    // window's own dialog: sockscope knows it is askpass by it). Empty: ssh
    // asks on the terminal, if any.
    void setAskpassProgram(const QString &program, const QString &variable)
    {
        m_settings.askpass = program;
        m_settings.askpassVariable = variable;
    }
    // Before start(): ask the agent to run this window's lab requests
    // (submitLab); off, the server refuses them.
    void setLab(bool wanted) { m_settings.lab = wanted; }
    bool labWanted() const { return m_settings.lab; }
    // Before start(): the ssh client to run (tests: a fake one).
    void setSshProgram(const QString &program) { m_settings.sshProgram = program; }

    const SshTarget &target() const { return m_target; }
    // "remote: user@host, agent sockscope 1.2, tracing" once connected, else empty.
    QString summary() const { return m_summary; }
    bool ssFallback() const { return m_ssFallback; }
    // The connected agent's process id on the server (0 before, or over ss):
    // the remote lab's sockets and connections are its own.
    int agentPid() const { return m_agentPid; }
    // What the server's end sees: root or not, tracing or not, or the ss
    // fallback's limits; before the first connection, that it is connecting.
    QString accessSummary() const override;

    // One lab console line for the server's agent (docs/lab-console.md);
    // labAnswered(request, ...) follows, always: from the agent, or from here
    // when it could not be sent or the connection ended first.
    void submitLab(std::uint64_t request, const QString &line);

    void start() override;
    // Returns at once: the ssh process is killed and reaped on the session's
    // thread, its descriptors closed when it has gone.
    void stop() override;
    void dispose() override;

public Q_SLOTS:
    // Applies from the next connection: the running agent keeps its own.
    void setIntervalMs(int intervalMs) override;
    void setPaused(bool paused) override;
    // The agent and ss poll at their own pace: nothing to ask for.
    void pollNow() override {}
    void setFocusPort(int) override {}

Q_SIGNALS:
    // A session started: summary() says with what.
    void connected(const QString &summary);
    // No retry will come: the remote does not speak our protocol, or (without
    // reconnecting) the connection failed or ended.
    void fatalError(const QString &message);
    void labAnswered(std::uint64_t request, const sockscope::ConsoleAnswer &answer);
    void labEvent(const sockscope::LabEvent &event);
    // What the server's lab had open is gone (its agent ended): why.
    void labLost(const QString &why);

private:
    void onConnected(const QString &summary, bool ssFallback, const QString &access, int agentPid);
    void endSession();

    SshTarget m_target;
    RemoteSettings m_settings;
    QThread *m_thread = nullptr;
    RemoteSession *m_session = nullptr;
    QString m_summary;
    QString m_access;
    QString m_startRefusal; // no descriptor for the session's thread
    bool m_ssFallback = false;
    int m_agentPid = 0;
};

} // namespace sockscope
