// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/labserver.h"

#include "lab/lab.h"
#include "lab/labsockets.h"
#include "model/hostport.h"
#include "util/monotonic.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <dirent.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/stat.h>

namespace sockscope {

namespace {
// Spin policy: report every this many immediate retries, and after this long
// of uninterrupted spinning slow down to one retry per millisecond: the
// burnt core is the lesson, a lab left running should not keep paying it.
constexpr std::int64_t kSpinReportEvery = 1000;
// ...and at most this often: a thousand retries take about a millisecond.
constexpr std::int64_t kSpinReportIntervalMs = 250;
constexpr std::int64_t kSpinThrottleAfterMs = 10000;
constexpr int kBackoffFirstMs = 5;
constexpr int kBackoffMaxMs = 1000;
constexpr int kAcceptsPerRound = 64;

const char *operationName(FailureContext::Operation operation)
{
    switch (operation) {
    case FailureContext::Operation::Bind:
        return "bind";
    case FailureContext::Operation::Listen:
        return "listen";
    case FailureContext::Operation::Connect:
        return "connect";
    case FailureContext::Operation::Accept:
        return "accept";
    case FailureContext::Operation::Socket:
        break;
    }
    return "socket";
}
} // namespace

Result<LabServerOptions> parseLabServerArguments(const QStringList &arguments)
{
    LabServerOptions options;
    const auto bad = [](const QString &why) { return Error{EINVAL, why}; };
    bool haveListen = false;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        const bool hasValue = i + 1 < arguments.size();
        const auto numberAfter = [&](int minimum, int *out) {
            bool ok = false;
            const int value = hasValue ? arguments.at(++i).toInt(&ok) : 0;
            *out = value;
            return ok && value >= minimum;
        };
        if (argument == QLatin1String("--listen") && hasValue) {
            const Result<HostPort> parsed = parseHostPort(arguments.at(++i));
            if (!parsed.ok())
                return parsed.error();
            options.family = parsed->family;
            options.local = parsed->endpoint;
            haveListen = true;
        } else if (argument == QLatin1String("--nofile")) {
            if (!numberAfter(0, &options.nofile))
                return bad(QStringLiteral("--nofile needs a number >= 0"));
        } else if (argument == QLatin1String("--cap")) {
            if (!numberAfter(1, &options.cap))
                return bad(QStringLiteral("--cap needs a number >= 1"));
        } else if (argument == QLatin1String("--backlog")) {
            if (!numberAfter(0, &options.backlog))
                return bad(QStringLiteral("--backlog needs a number >= 0"));
        } else if (argument == QLatin1String("--report-fd")) {
            if (!numberAfter(0, &options.reportFd))
                return bad(QStringLiteral("--report-fd needs a descriptor number"));
        } else if (argument == QLatin1String("--policy") && hasValue) {
            const auto policy = acceptErrorPolicyFromName(arguments.at(++i));
            if (!policy)
                return bad(QStringLiteral("--policy is spin, backoff or cap"));
            options.policy = *policy;
        } else if (argument == QLatin1String("--reuseaddr")) {
            options.reuseAddr = true;
        } else if (argument == QLatin1String("--reuseport")) {
            options.reusePort = true;
        } else {
            return bad(QStringLiteral("unexpected argument '%1'").arg(argument));
        }
    }
    if (!haveListen || options.reportFd < 0)
        return bad(QStringLiteral("--listen ADDR:PORT and --report-fd FD are required"));
    if (options.policy == AcceptErrorPolicy::Cap && options.cap < 1)
        return bad(QStringLiteral("--policy cap needs --cap N"));
    return options;
}

QStringList labServerArguments(const LabServerOptions &options)
{
    QStringList arguments{QStringLiteral("--listen"), options.local.text(options.family)};
    if (options.nofile > 0)
        arguments << QStringLiteral("--nofile") << QString::number(options.nofile);
    if (options.reuseAddr)
        arguments << QStringLiteral("--reuseaddr");
    if (options.reusePort)
        arguments << QStringLiteral("--reuseport");
    arguments << QStringLiteral("--policy") << acceptErrorPolicyName(options.policy);
    if (options.policy == AcceptErrorPolicy::Cap)
        arguments << QStringLiteral("--cap") << QString::number(options.cap);
    arguments << QStringLiteral("--backlog") << QString::number(options.backlog);
    arguments << QStringLiteral("--report-fd") << QString::number(options.reportFd);
    return arguments;
}

LabServer::LabServer(LabServerOptions options) : m_options(std::move(options)) {}

int LabServer::run()
{
    // A lab that went away must end us through a failed write, not a signal.
    std::signal(SIGPIPE, SIG_IGN);
    setNonBlocking(m_options.reportFd, true);
    if (m_options.nofile > 0) {
        rlimit limit{};
        ::getrlimit(RLIMIT_NOFILE, &limit);
        limit.rlim_cur = std::min<rlim_t>(static_cast<rlim_t>(m_options.nofile), limit.rlim_max);
        if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
            report(ServerReport::Kind::Error, errno, "setrlimit");
            return 1;
        }
    }
    ListenSocketOptions listen{m_options.family,    m_options.local,   m_options.reuseAddr,
                               m_options.reusePort, m_options.backlog, true};
    SocketAttempt attempt = openListenSocket(listen);
    if (!attempt.ok()) {
        report(ServerReport::Kind::Error, attempt.errnum, operationName(attempt.failedAt));
        return 1;
    }
    m_listen = std::move(attempt.fd);
    m_port = localEndpointOf(m_listen.get()).port;
    report(ServerReport::Kind::Listening);
    loop();
    return 0;
}

bool LabServer::mayAccept(std::int64_t now) const
{
    if (m_options.policy == AcceptErrorPolicy::Cap &&
        static_cast<int>(m_connections.size()) >= m_options.cap)
        return false; // the semaphore: no descriptor is asked for, so no EMFILE
    return now >= m_retryAtMs;
}

void LabServer::loop()
{
    std::vector<pollfd> fds;
    while (!m_labGone) {
        const std::int64_t now = monotonicMs();
        const bool accepting = mayAccept(now);
        fds.clear();
        // Events 0 still reports POLLERR once the lab closed its end of the pipe.
        fds.push_back(pollfd{m_options.reportFd, short(m_reportDropped ? POLLOUT : 0), 0});
        fds.push_back(pollfd{accepting && !m_spinning ? m_listen.get() : -1, POLLIN, 0});
        for (const UniqueFd &connection : m_connections)
            fds.push_back(pollfd{connection.get(), POLLIN, 0});
        int timeout = -1;
        if (m_spinning && accepting)
            timeout = m_throttled ? 1 : 0;
        else if (!accepting && now < m_retryAtMs)
            timeout = static_cast<int>(m_retryAtMs - now);
        if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR)
            return;
        if (fds[0].revents & (POLLERR | POLLHUP))
            return;
        if (fds[0].revents & POLLOUT) {
            m_reportDropped = false;
            report(ServerReport::Kind::Totals);
        }
        // Backwards, so closing one does not shift the ones still to look at.
        for (std::size_t i = fds.size(); i-- > 2;) {
            if (fds[i].revents == 0)
                continue;
            char buffer[4096];
            const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR))
                closeConnection(i - 2);
        }
        if ((m_spinning && accepting) || (fds[1].revents & POLLIN))
            acceptSome();
    }
}

void LabServer::acceptSome()
{
    for (int round = 0; round < kAcceptsPerRound; ++round) {
        if (!mayAccept(monotonicMs()))
            return;
        const int fd = ::accept4(m_listen.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0) {
            m_connections.emplace_back(fd);
            ++m_accepts;
            m_spinning = false;
            m_throttled = false;
            m_backoffMs = kBackoffFirstMs;
            report(ServerReport::Kind::Accept);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            m_spinning = false;
            return;
        }
        acceptFailed(errno);
        return;
    }
}

void LabServer::acceptFailed(int errnum)
{
    ++m_acceptErrors;
    const std::int64_t now = monotonicMs();
    if (m_options.policy == AcceptErrorPolicy::Spin) {
        if (!m_spinning) {
            m_spinning = true;
            m_spinSinceMs = now;
            m_lastSpinReportMs = now;
            report(ServerReport::Kind::AcceptError, errnum);
            return;
        }
        ++m_spinRetries;
        if (!m_throttled && now - m_spinSinceMs > kSpinThrottleAfterMs) {
            m_throttled = true;
            report(ServerReport::Kind::AcceptError, errnum);
        } else if (m_spinRetries % kSpinReportEvery == 0 &&
                   now - m_lastSpinReportMs >= kSpinReportIntervalMs) {
            m_lastSpinReportMs = now;
            report(ServerReport::Kind::AcceptError, errnum);
        }
        return;
    }
    // backoff, and cap when its limit was set above what the descriptors allow
    m_retryAtMs = now + m_backoffMs;
    report(ServerReport::Kind::AcceptError, errnum);
    m_backoffMs = std::min(m_backoffMs * 2, kBackoffMaxMs);
}

void LabServer::closeConnection(std::size_t index)
{
    m_connections.erase(m_connections.begin() + static_cast<std::ptrdiff_t>(index));
    report(ServerReport::Kind::Closed);
}

int LabServer::countDescriptors() const
{
    // Linux 6.2+ gives the count as the directory's size, without a descriptor
    // (which an EMFILE process would not get); otherwise read the directory.
    struct stat info
    {
    };
    if (::stat("/proc/self/fd", &info) == 0 && info.st_size > 0)
        return static_cast<int>(info.st_size);
    if (DIR *directory = ::opendir("/proc/self/fd")) {
        int count = -1; // the directory's own descriptor
        while (const dirent *entry = ::readdir(directory)) {
            if (entry->d_name[0] != '.')
                ++count;
        }
        ::closedir(directory);
        return count;
    }
    return 4 + static_cast<int>(m_connections.size()); // stdio, report pipe, listener
}

void LabServer::report(ServerReport::Kind kind, int errnum, const char *operation)
{
    ServerReport report;
    report.kind = kind;
    report.pid = static_cast<int>(::getpid());
    report.port = m_port;
    report.operation = operation;
    report.errnum = errnum;
    report.accepts = m_accepts;
    report.acceptErrors = m_acceptErrors;
    report.spinRetries = m_spinRetries;
    report.openConnections = static_cast<int>(m_connections.size());
    report.openDescriptors = countDescriptors();
    report.throttled = m_throttled;
    sendLine(encodeServerReport(report));
}

void LabServer::sendLine(const std::string &line)
{
    // Lines are under PIPE_BUF, so a write is whole or EAGAIN. A full pipe
    // drops the line; the totals go out as a status report once it drains.
    const ssize_t written = ::write(m_options.reportFd, line.data(), line.size());
    if (written >= 0)
        return;
    if (errno == EAGAIN || errno == EWOULDBLOCK)
        m_reportDropped = true;
    else if (errno == EPIPE)
        m_labGone = true;
}

int runLabServerProcess(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 2; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const Result<LabServerOptions> options = parseLabServerArguments(arguments);
    if (!options.ok()) {
        std::fprintf(stderr, "sockscope __lab-server: %s\n", qPrintable(options.error().message));
        return 2;
    }
    return LabServer(*options).run();
}

} // namespace sockscope
