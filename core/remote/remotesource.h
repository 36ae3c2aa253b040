// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "format/batchjson.h"
#include "poller/socketsource.h"
#include "remote/sessionstitch.h"
#include "remote/ssfallback.h"
#include "remote/sshtarget.h"

#include <deque>
#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QTimer>

namespace sockscope {

// A server's sockets over ssh: runs the system's OpenSSH client (the user's
// config, agent and known_hosts) with the remote command of sshtarget.h and
// turns what comes back, the agent protocol or the ss fallback, into
// PollBatches. Everything is asynchronous on the thread it lives on (QProcess
// signals): nothing here waits for the network.
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
    static constexpr int kFirstRetryS = 1;
    static constexpr int kLastRetryS = 30;

    explicit RemoteSource(SshTarget target, QObject *parent = nullptr);
    ~RemoteSource() override;

    // Before start(): ask the agent to poll only.
    void setTracing(bool wanted) { m_tracing = wanted; }
    // Before start(): retry dropped or failed connections (the window, watch);
    // off, the first failure ends the source (dump).
    void setReconnect(bool reconnect) { m_reconnect = reconnect; }
    // Before start(): read ss even where sockscope is installed (tests, and a
    // server whose sockscope misbehaves).
    void setForceSs(bool force) { m_forceSs = force; }
    // Before start(): passwords and passphrases asked through this program
    // (SSH_ASKPASS, forced), run with `variable`=1 in its environment (the
    // window's own dialog: sockscope knows it is askpass by it). Empty: ssh
    // asks on the terminal, if any.
    void setAskpassProgram(const QString &program, const QString &variable)
    {
        m_askpass = program;
        m_askpassVariable = variable;
    }
    // Before start(): the ssh client to run (tests: a fake one).
    void setSshProgram(const QString &program) { m_sshProgram = program; }

    const SshTarget &target() const { return m_target; }
    // "remote: user@host, agent sockscope 1.2, tracing" once connected, else empty.
    QString summary() const { return m_summary; }
    bool ssFallback() const { return m_mode == Mode::Ss; }

    void start() override;
    void stop() override;

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

private:
    enum class Mode
    {
        Waiting, // for the first line
        Agent,
        Ss
    };
    void connectNow();
    void readOutput();
    void readErrors();
    void handleLine(const QByteArray &line);
    void handleFirstLine(const QByteArray &line);
    void handleFinished(int exitCode, QProcess::ExitStatus status);
    void deliver(PollBatch batch);
    void fail(const QString &message);
    void endProcess();

    SshTarget m_target;
    QString m_sshProgram = QStringLiteral("ssh");
    QString m_askpass;
    QString m_askpassVariable;
    int m_intervalMs = 1000;
    bool m_tracing = true;
    bool m_reconnect = true;
    bool m_forceSs = false;
    bool m_paused = false;
    bool m_stopped = true;
    bool m_fatal = false;
    bool m_failureReported = false;
    bool m_sessionBatch = false; // a batch arrived in this session
    QProcess *m_process = nullptr;
    QTimer m_retry;
    int m_retryS = kFirstRetryS;
    Mode m_mode = Mode::Waiting;
    QByteArray m_pending; // stdout not yet a whole line
    QByteArray m_errors;  // this session's stderr, for the failure's reason
    int m_lineNumber = 0;
    QByteArray m_ssRun;
    SsFallback m_ss;
    bool m_ssSessionBegun = false; // ss batches go through the stitch as one session
    SessionStitch m_stitch;
    AgentHello m_hello;
    QString m_summary;
    std::deque<PollBatch> m_held; // while paused
};

} // namespace sockscope
