// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "console/consoleanswer.h"
#include "format/batchjson.h"
#include "lab/labtypes.h"
#include "poller/pollbatch.h"
#include "remote/sessionstitch.h"
#include "remote/ssfallback.h"
#include "remote/sshtarget.h"

#include <cstdint>
#include <deque>
#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QSet>
#include <QString>
#include <QTimer>

namespace sockscope {

// What RemoteSource hands its session at start().
struct RemoteSettings
{
    QString sshProgram = QStringLiteral("ssh");
    QString askpass;
    QString askpassVariable;
    int intervalMs = 1000;
    bool tracing = true;
    bool reconnect = true;
    bool forceSs = false;
    bool lab = false; // the agent runs lab requests (agent --lab)
};

// RemoteSource's worker, on a thread of its own: runs ssh, reads and parses
// what comes back (tens of MB of JSON a batch for a big server) and stitches
// the sessions together, so that the thread showing the batches only receives
// them. Everything here is asynchronous (QProcess signals).
class RemoteSession : public QObject
{
    Q_OBJECT
public:
    static constexpr int kFirstRetryS = 1;
    static constexpr int kLastRetryS = 30;

    explicit RemoteSession(SshTarget target);
    ~RemoteSession() override;

    void start(const RemoteSettings &settings);
    void stop();
    void setIntervalMs(int intervalMs);
    void setPaused(bool paused);
    // Sends one lab console line to the agent; labAnswered follows, from the
    // agent or, when it cannot be sent or the session ends first, from here.
    void sendLab(std::uint64_t request, const QString &line);

Q_SIGNALS:
    void batchReady(const sockscope::PollBatch &batch);
    void pollFailed(const QString &message);
    void pollRecovered();
    // access: what the remote end sees, for the status bar (accessSummary()).
    // agentPid: the agent's process on the server (0: ss, or an older agent).
    void connected(const QString &summary, bool ssFallback, const QString &access, int agentPid);
    void fatalError(const QString &message);
    void labAnswered(std::uint64_t request, const sockscope::ConsoleAnswer &answer);
    void labEvent(const sockscope::LabEvent &event);
    // The agent whose lab had objects open went away, and they with it.
    void labLost(const QString &why);

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
    void announce(const QString &summary, const QString &access);
    void endProcess();
    void handleLabLine(const QByteArray &line);
    // Answers every request still waiting with errnum and `why`.
    void answerWaiting(int errnum, const QString &why);
    // answerWaiting(ECONNRESET, why); says labLost when the lab there had
    // made objects.
    void dropLab(const QString &why);

    SshTarget m_target;
    RemoteSettings m_settings;
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
    std::deque<PollBatch> m_held;     // while paused
    QSet<std::uint64_t> m_labWaiting; // requests sent, not answered yet
    bool m_labUsed = false;           // this session's agent made lab objects
};

} // namespace sockscope
