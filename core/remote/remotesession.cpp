// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/remotesession.h"

#include "console/labjson.h"
#include "remote/remoteaccess.h"
#include "util/monotonic.h"
#include "util/quotedvalue.h"
#include "util/threadhandover.h"

#include <cerrno>
#include <QCoreApplication>
#include <QProcessEnvironment>

namespace sockscope {

namespace {
// A line longer than any batch of a busy server (100,000 sockets) is not ours.
constexpr qsizetype kLongestLine = 256 * 1024 * 1024;
} // namespace

// The retry timer is a child, so that it moves to the session's thread with it.
RemoteSession::RemoteSession(SshTarget target) : m_target(std::move(target)), m_retry(this)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &RemoteSession::connectNow);
}

RemoteSession::~RemoteSession()
{
    stop();
    // Killed by endProcess() but not yet reaped: reaped now (on this
    // session's thread, milliseconds after SIGKILL) rather than left to the
    // QProcess destructor, which complains.
    for (QProcess *process : findChildren<QProcess *>(Qt::FindDirectChildrenOnly))
        process->waitForFinished(1000);
}

void RemoteSession::start(const RemoteSettings &settings)
{
    m_settings = settings;
    m_stopped = false;
    m_fatal = false;
    connectNow();
}

void RemoteSession::stop()
{
    m_stopped = true;
    m_retry.stop();
    endProcess();
}

void RemoteSession::endProcess()
{
    if (!m_process)
        return;
    dropLab(QStringLiteral("the connection to %1 ended before the answer came: the command may "
                           "or may not have run there")
                .arg(m_target.displayName()));
    QProcess *process = m_process;
    m_process = nullptr;
    process->disconnect(this);
    // Closing stdin ends the agent; ssh itself goes with SIGKILL, which it
    // cannot ignore. Not waited for: it is reaped, its pipes closed and the
    // object freed when its end arrives here (or when this session goes).
    connect(process, &QProcess::finished, process, &QObject::deleteLater);
    process->closeWriteChannel();
    process->kill();
}

void RemoteSession::setIntervalMs(int intervalMs)
{
    m_settings.intervalMs = intervalMs;
}

void RemoteSession::setPaused(bool paused)
{
    m_paused = paused;
    while (!m_paused && !m_held.empty()) {
        PollBatch batch = std::move(m_held.front());
        m_held.pop_front();
        handOverRelease(this);
        Q_EMIT batchReady(batch);
    }
}

void RemoteSession::connectNow()
{
    if (m_stopped)
        return;
    endProcess();
    m_mode = Mode::Waiting;
    m_pending.clear();
    m_errors.clear();
    m_ssRun.clear();
    m_lineNumber = 0;
    m_sessionBatch = false;
    m_process = new QProcess(this);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (!m_settings.askpass.isEmpty()) {
        environment.insert(QStringLiteral("SSH_ASKPASS"), m_settings.askpass);
        environment.insert(QStringLiteral("SSH_ASKPASS_REQUIRE"), QStringLiteral("force"));
        if (!m_settings.askpassVariable.isEmpty())
            environment.insert(m_settings.askpassVariable, QStringLiteral("1"));
    }
    m_process->setProcessEnvironment(environment);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &RemoteSession::readOutput);
    connect(m_process, &QProcess::readyReadStandardError, this, &RemoteSession::readErrors);
    connect(m_process, &QProcess::finished, this, &RemoteSession::handleFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            m_fatal = true;
            fail(QStringLiteral("cannot run %1: %2 (install the OpenSSH client: apt-get install "
                                "openssh-client)")
                     .arg(m_settings.sshProgram, m_process ? m_process->errorString() : QString()));
            endProcess();
        }
    });
    const QString command =
        remoteCommand(QCoreApplication::applicationVersion(), m_settings.intervalMs,
                      m_settings.tracing, m_settings.forceSs, m_settings.lab);
    m_process->start(m_settings.sshProgram, sshArguments(m_target, command));
}

void RemoteSession::readErrors()
{
    if (!m_process)
        return;
    m_errors += m_process->readAllStandardError();
    // ssh's chatter about a failure is short; a remote flooding stderr keeps its end.
    if (m_errors.size() > 64 * 1024)
        m_errors = m_errors.right(32 * 1024);
}

void RemoteSession::readOutput()
{
    while (m_process && !m_fatal) {
        const QByteArray chunk = m_process->readAllStandardOutput();
        if (chunk.isEmpty())
            return;
        m_pending += chunk;
        qsizetype start = 0;
        for (qsizetype end; m_process && !m_fatal && (end = m_pending.indexOf('\n', start)) >= 0;
             start = end + 1)
            handleLine(m_pending.sliced(start, end - start));
        m_pending.remove(0, start);
        if (m_pending.size() > kLongestLine || (m_mode == Mode::Waiting && m_pending.size() > 4096))
            handleFirstLine(m_pending); // not a line of ours: says what it is
    }
}

void RemoteSession::handleLine(const QByteArray &line)
{
    ++m_lineNumber;
    if (m_mode == Mode::Waiting) {
        handleFirstLine(line);
        return;
    }
    if (m_mode == Mode::Ss) {
        if (line == kSsRunEnd) {
            // Through the stitch too, so that ids stay one sequence when an
            // agent session follows (an --install-agent) or came before.
            if (!m_ssSessionBegun)
                m_stitch.beginSession(0);
            m_ssSessionBegun = true;
            deliver(m_stitch.apply(m_ss.apply(m_ssRun, monotonicMs())));
            m_ssRun.clear();
        } else {
            m_ssRun += line;
            m_ssRun += '\n';
        }
        return;
    }
    if (isLabLine(line)) {
        handleLabLine(line);
        return;
    }
    auto parsed = parseAgentLine(line, m_lineNumber);
    if (!parsed || !parsed->batch) {
        m_fatal = true;
        fail(QStringLiteral("%1: %2").arg(
            m_target.displayName(),
            parsed ? QStringLiteral("a second hello on line %1").arg(m_lineNumber)
                   : parsed.error().message));
        endProcess();
        return;
    }
    PollBatch &batch = *parsed->batch;
    if (!m_sessionBatch) {
        m_stitch.beginSession(monotonicMs() - batch.timeMs);
        m_ssSessionBegun = false;
    }
    deliver(m_stitch.apply(std::move(batch)));
}

void RemoteSession::handleFirstLine(const QByteArray &line)
{
    if (line.startsWith(kSsFallbackMarker)) {
        m_mode = Mode::Ss;
        const QList<QByteArray> words = line.split(' ');
        bool ok = false;
        const int ephemeral = words.value(2).toInt(&ok);
        if (ok)
            m_ss.setEphemeralPortStart(ephemeral);
        m_ss.setIntervalMs(ssIntervalMs(m_settings.intervalMs));
        announce(QStringLiteral("remote: %1, no sockscope there: reading ss")
                     .arg(m_target.displayName()),
                 ssFallbackAccess());
        return;
    }
    auto parsed = parseAgentLine(line, m_lineNumber);
    if (parsed && parsed->hello) {
        m_mode = Mode::Agent;
        m_hello = *parsed->hello;
        announce(QStringLiteral("remote: %1, agent sockscope %2, %3")
                     .arg(m_target.displayName(), m_hello.version,
                          m_hello.tracing ? QStringLiteral("tracing") : QStringLiteral("polling")),
                 agentAccess(m_hello));
        return;
    }
    m_fatal = true;
    if (!parsed && line.trimmed().startsWith('{') &&
        !parsed.error().message.contains(QLatin1String("is not the sockscope agent protocol")))
        fail(QStringLiteral("%1: %2").arg(m_target.displayName(), parsed.error().message));
    else
        fail(QStringLiteral("%1 does not answer with the sockscope agent protocol: it printed %2 "
                            "(a login script that prints text, or another program named "
                            "sockscope on its PATH?)")
                 .arg(m_target.displayName(), quotedValue(QString::fromUtf8(
                                                  line.first(qMin<qsizetype>(line.size(), 60))))));
    endProcess();
}

void RemoteSession::handleFinished(int exitCode, QProcess::ExitStatus status)
{
    if (!m_process || m_stopped)
        return;
    m_errors += m_process->readAllStandardError();
    dropLab(QStringLiteral("the connection to %1 ended before the answer came: the command may "
                           "or may not have run there")
                .arg(m_target.displayName()));
    const bool hadSession = m_sessionBatch;
    const QString reason =
        sshFailureMessage(m_target, m_errors, status == QProcess::CrashExit ? -1 : exitCode);
    m_process->deleteLater();
    m_process = nullptr;
    if (m_fatal)
        return;
    if (!m_settings.reconnect) {
        m_fatal = true;
        fail(hadSession ? QStringLiteral("connection to %1 lost: %2").arg(m_target.host, reason)
                        : reason);
        return;
    }
    if (hadSession)
        m_retryS = kFirstRetryS;
    const QString message = hadSession
                                ? QStringLiteral("connection to %1 lost: reconnecting in %2 s")
                                      .arg(m_target.host)
                                      .arg(m_retryS)
                                : QStringLiteral("%1; retrying in %2 s").arg(reason).arg(m_retryS);
    m_retry.start(m_retryS * 1000);
    m_retryS = qMin(m_retryS * 2, kLastRetryS);
    m_failureReported = true;
    handOverRelease(this);
    Q_EMIT pollFailed(message);
}

void RemoteSession::fail(const QString &message)
{
    m_failureReported = true;
    handOverRelease(this);
    Q_EMIT pollFailed(message);
    if (m_fatal)
        Q_EMIT fatalError(message);
}

void RemoteSession::announce(const QString &summary, const QString &access)
{
    handOverRelease(this);
    Q_EMIT connected(summary, m_mode == Mode::Ss, access, m_mode == Mode::Agent ? m_hello.pid : 0);
}

void RemoteSession::deliver(PollBatch batch)
{
    m_sessionBatch = true;
    m_retryS = kFirstRetryS;
    if (m_failureReported) {
        m_failureReported = false;
        handOverRelease(this);
        Q_EMIT pollRecovered();
    }
    if (m_paused) {
        m_held.push_back(std::move(batch));
        return;
    }
    handOverRelease(this);
    Q_EMIT batchReady(batch);
}

} // namespace sockscope
