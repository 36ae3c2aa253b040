// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/serverprocess.h"

#include "lab/labserver.h"
#include "lab/labsockets.h"
#include "util/monotonic.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <QFile>
#include <QSocketNotifier>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace sockscope {

namespace {
constexpr int kStartTimeoutMs = 3000;
constexpr int kTermGraceMs = 2000;
constexpr int kKillWaitMs = 2000;
constexpr int kChildReportFd = 3;

FailureContext::Operation operationNamed(const std::string &name)
{
    using Operation = FailureContext::Operation;
    if (name == "bind")
        return Operation::Bind;
    if (name == "listen")
        return Operation::Listen;
    return Operation::Socket;
}

QString signalText(int signal)
{
    const char *name = sigabbrev_np(signal);
    return name ? QStringLiteral("SIG%1").arg(QLatin1String(name)) : QString::number(signal);
}

// posix_spawn's file actions and attributes, released however spawn() returns.
struct SpawnSetup
{
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    SpawnSetup()
    {
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attributes);
    }
    ~SpawnSetup()
    {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
    }
    SpawnSetup(const SpawnSetup &) = delete;
    SpawnSetup &operator=(const SpawnSetup &) = delete;
};
} // namespace

ServerProcess::ServerProcess(QString id, ServerSpec spec, QString executable, LabEventSink sink,
                             QObject *parent)
    : QObject(parent), m_executable(std::move(executable)), m_reporter(id, std::move(sink))
{
    m_status.id = id;
    m_status.spec = spec;
}

ServerProcess::~ServerProcess()
{
    if (m_status.running)
        kill(SIGTERM);
    dropNotifiers();
}

Status ServerProcess::spawn(UniqueFd &readEnd)
{
    int ends[2];
    // Both ends close-on-exec: the child's end becomes inheritable only in the
    // child (below), so no other child of the lab inherits it.
    if (::pipe2(ends, O_CLOEXEC) != 0) {
        return m_reporter.fail(QStringLiteral("start server (pipe2)"), errno,
                               failureContext(FailureContext::Operation::Socket,
                                              m_status.spec.family, m_status.spec.local));
    }
    readEnd.reset(ends[0]);
    UniqueFd writeEnd(ends[1]);
    setNonBlocking(readEnd.get(), true);

    LabServerOptions options;
    options.family = m_status.spec.family;
    options.local = m_status.spec.local;
    options.nofile = m_status.spec.nofile;
    options.reuseAddr = m_status.spec.reuseAddr;
    options.reusePort = m_status.spec.reusePort;
    options.policy = m_status.spec.policy;
    options.cap = m_status.spec.cap;
    options.reportFd = kChildReportFd;
    QList<QByteArray> arguments{QFile::encodeName(m_executable), QByteArrayLiteral("__lab-server")};
    for (const QString &argument : labServerArguments(options))
        arguments << argument.toLocal8Bit();
    std::vector<char *> argv;
    for (QByteArray &argument : arguments)
        argv.push_back(argument.data());
    argv.push_back(nullptr);

    SpawnSetup setup;
    // The report pipe becomes the child's descriptor 3 (a dup2 onto itself, when
    // it already is 3, clears close-on-exec as well), and nothing else passes:
    // descriptors this process inherited without close-on-exec would count
    // against the child's RLIMIT_NOFILE and make S2's arithmetic wrong.
    posix_spawn_file_actions_adddup2(&setup.actions, writeEnd.get(), kChildReportFd);
    posix_spawn_file_actions_addclosefrom_np(&setup.actions, kChildReportFd + 1);
    // Standard output belongs to the lab console's answers: the child stays off it.
    posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&setup.actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    sigset_t none;
    sigset_t all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&setup.attributes, &none);
    posix_spawnattr_setsigdefault(&setup.attributes, &all);
    posix_spawnattr_setflags(&setup.attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    // The child starts in this thread's network namespace: the lab spawns from
    // inside its NamespaceScope, so a lab acting in another namespace has its
    // servers listen there, without an nsenter in between.
    const int spawned =
        ::posix_spawn(&pid, argv[0], &setup.actions, &setup.attributes, argv.data(), environ);
    if (spawned != 0) {
        return m_reporter.fail(
            QStringLiteral("start server"),
            plainExplanation(
                spawned, QStringLiteral("could not start %1: %2")
                             .arg(m_executable, QString::fromLocal8Bit(std::strerror(spawned)))));
    }
    m_status.pid = pid;
    m_status.running = true;
    // A pidfd turns "has it exited?" into a pollable descriptor (Linux 5.3+);
    // without one the waits fall back to polling waitpid().
    m_pidfd.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    return Ok{};
}

Status ServerProcess::start()
{
    const Status spawned = spawn(m_reports);
    if (!spawned.ok())
        return spawned;
    const Status listening = awaitListening();
    if (!listening.ok())
        return listening;
    m_reportNotifier = std::make_unique<QSocketNotifier>(m_reports.get(), QSocketNotifier::Read);
    connect(m_reportNotifier.get(), &QSocketNotifier::activated, this, &ServerProcess::readReports);
    if (m_pidfd.valid()) {
        m_exitNotifier = std::make_unique<QSocketNotifier>(m_pidfd.get(), QSocketNotifier::Read);
        connect(m_exitNotifier.get(), &QSocketNotifier::activated, this, [this] { reap(); });
    }
    return Ok{};
}

Status ServerProcess::awaitListening()
{
    const std::int64_t deadline = monotonicMs() + kStartTimeoutMs;
    while (m_status.bound.port == 0 && !m_startError && m_reports.valid()) {
        const std::int64_t left = deadline - monotonicMs();
        if (left <= 0)
            break;
        pollfd waiter{m_reports.get(), POLLIN, 0};
        ::poll(&waiter, 1, static_cast<int>(left));
        readReports();
    }
    if (m_status.bound.port != 0)
        return Ok{};
    if (m_startError) {
        waitForExit(kKillWaitMs);
        reap();
        const FailureContext context =
            failureContext(operationNamed(m_startError->operation), m_status.spec.family,
                           m_status.spec.local, m_status.spec.reuseAddr, m_status.spec.reusePort);
        return m_reporter.fail(QStringLiteral("server %1 (pid %2) %3")
                                   .arg(m_status.spec.local.text(m_status.spec.family))
                                   .arg(m_status.pid)
                                   .arg(QString::fromStdString(m_startError->operation)),
                               m_startError->errnum, context);
    }
    const bool exited = !m_reports.valid();
    if (!exited && !reap())
        ::kill(m_status.pid, SIGKILL);
    waitForExit(kKillWaitMs);
    reap();
    const int errnum = exited ? ECHILD : ETIMEDOUT;
    return m_reporter.fail(
        QStringLiteral("start server"),
        plainExplanation(errnum, exited ? QStringLiteral("the server process exited with status "
                                                         "%1 before it listened")
                                              .arg(m_status.exitStatus)
                                        : QStringLiteral("the server process did not report "
                                                         "within 3 s; killed it")));
}

void ServerProcess::readReports()
{
    while (m_reports.valid()) {
        char buffer[4096];
        const ssize_t got = ::read(m_reports.get(), buffer, sizeof buffer);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            break; // EAGAIN: all read
        if (got == 0) {
            // The child's end closed: it exited (or is exiting).
            m_reportNotifier.reset();
            m_reports.reset();
            break;
        }
        m_pending.append(buffer, got);
    }
    qsizetype newline;
    while ((newline = m_pending.indexOf('\n')) >= 0) {
        const QByteArray line = m_pending.left(newline);
        m_pending.remove(0, newline + 1);
        if (const std::optional<ServerReport> report = decodeServerReport(line))
            apply(*report);
    }
}

void ServerProcess::apply(const ServerReport &report)
{
    m_status.accepts = static_cast<int>(report.accepts);
    m_status.acceptErrors = static_cast<int>(report.acceptErrors);
    m_status.spinRetries = static_cast<int>(report.spinRetries);
    m_status.openConnections = report.openConnections;
    m_status.openDescriptors = report.openDescriptors;
    const QString totals = QStringLiteral("open connections %1, descriptors %2")
                               .arg(report.openConnections)
                               .arg(report.openDescriptors);
    switch (report.kind) {
    case ServerReport::Kind::Listening:
        m_status.bound = m_status.spec.local;
        m_status.bound.port = report.port;
        m_reporter.note(QStringLiteral("pid %1 listening on %2 (nofile %3, policy %4)")
                            .arg(m_status.pid)
                            .arg(m_status.bound.text(m_status.spec.family))
                            .arg(m_status.spec.nofile > 0 ? QString::number(m_status.spec.nofile)
                                                          : QStringLiteral("inherited"))
                            .arg(acceptErrorPolicyName(m_status.spec.policy)));
        break;
    case ServerReport::Kind::Error:
        m_startError = report;
        break;
    case ServerReport::Kind::Accept:
        m_inErrorStreak = false;
        m_reporter.note(QStringLiteral("accepted a connection (%1)").arg(totals));
        break;
    case ServerReport::Kind::AcceptError: {
        m_status.lastAcceptErrno = Error{report.errnum, {}}.errnoName();
        const QString text =
            QStringLiteral("accept() failed: %1 (errors %2, spin retries %3, %4%5)")
                .arg(m_status.lastAcceptErrno)
                .arg(report.acceptErrors)
                .arg(report.spinRetries)
                .arg(totals, report.throttled ? QStringLiteral(", spin throttled") : QString());
        // Explained (with a dump) once per streak; the repeats are counters.
        if (!m_inErrorStreak) {
            m_inErrorStreak = true;
            const FailureContext context = failureContext(FailureContext::Operation::Accept,
                                                          m_status.spec.family, m_status.bound);
            m_reporter.fail(text, report.errnum, context);
        } else {
            m_reporter.note(text);
        }
        break;
    }
    case ServerReport::Kind::Closed:
        m_reporter.note(QStringLiteral("a peer closed; closed its connection (%1)").arg(totals));
        break;
    case ServerReport::Kind::Totals:
        break;
    }
}

bool ServerProcess::reap()
{
    if (!m_status.running)
        return true;
    int status = 0;
    const pid_t done = ::waitpid(m_status.pid, &status, WNOHANG);
    if (done == 0)
        return false;
    readReports(); // its last words
    m_status.running = false;
    if (done < 0)
        m_status.exitStatus = -1; // someone else reaped it
    else if (WIFEXITED(status))
        m_status.exitStatus = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        m_status.exitStatus = 128 + WTERMSIG(status);
    dropNotifiers();
    m_pidfd.reset();
    m_reports.reset();
    m_reporter.note(
        QStringLiteral("pid %1 exited (status %2)").arg(m_status.pid).arg(m_status.exitStatus));
    return true;
}

bool ServerProcess::waitForExit(int timeoutMs)
{
    const std::int64_t deadline = monotonicMs() + timeoutMs;
    while (true) {
        // Reaped already: a lab event's listener may ask for status() (the
        // open objects count) between the signal and this wait.
        if (!m_status.running)
            return true;
        int left = static_cast<int>(std::max<std::int64_t>(0, deadline - monotonicMs()));
        if (m_pidfd.valid()) {
            pollfd waiter{m_pidfd.get(), POLLIN, 0};
            return ::poll(&waiter, 1, left) == 1;
        }
        siginfo_t info{};
        // WNOWAIT: look without reaping; reap() does that and records the status.
        const int looked =
            ::waitid(P_PID, static_cast<id_t>(m_status.pid), &info, WEXITED | WNOHANG | WNOWAIT);
        if ((looked == 0 && info.si_pid != 0) || (looked != 0 && errno == ECHILD))
            return true; // a zombie to reap, or reaped by someone else (reap() says so)
        if (left == 0)
            return false;
        ::poll(nullptr, 0, std::min(left, 5));
    }
}

Status ServerProcess::kill(int signal)
{
    reap();
    if (!m_status.running) {
        return m_reporter.fail(
            QStringLiteral("kill"),
            plainExplanation(EINVAL, QStringLiteral("server %1 is not running").arg(m_status.id)));
    }
    if (::kill(m_status.pid, signal) != 0) {
        const int errnum = errno;
        return m_reporter.fail(
            QStringLiteral("kill"),
            plainExplanation(errnum, QStringLiteral("kill(%1, %2): %3")
                                         .arg(m_status.pid)
                                         .arg(signalText(signal))
                                         .arg(QString::fromLocal8Bit(std::strerror(errnum)))));
    }
    m_reporter.note(QStringLiteral("sent %1 to pid %2").arg(signalText(signal)).arg(m_status.pid));
    bool exited = waitForExit(signal == SIGKILL ? kKillWaitMs : kTermGraceMs);
    // Never signal a pid once reaped: it may be another process's by now.
    if (!exited && signal != SIGKILL && !reap()) {
        ::kill(m_status.pid, SIGKILL);
        m_reporter.note(
            QStringLiteral("still running after %1 ms: sent SIGKILL").arg(kTermGraceMs));
        exited = waitForExit(kKillWaitMs);
    }
    if (!exited || !reap()) {
        return m_reporter.fail(QStringLiteral("kill"),
                               plainExplanation(ETIMEDOUT, QStringLiteral("pid %1 did not exit "
                                                                          "after SIGKILL")
                                                               .arg(m_status.pid)));
    }
    return Ok{};
}

ServerStatus ServerProcess::status()
{
    readReports();
    reap();
    return m_status;
}

void ServerProcess::dropNotifiers()
{
    m_reportNotifier.reset();
    m_exitNotifier.reset();
}

} // namespace sockscope
