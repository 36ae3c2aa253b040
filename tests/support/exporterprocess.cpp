// SPDX-License-Identifier: GPL-3.0-or-later
#include "exporterprocess.h"

#include "processrun.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <QDeadlineTimer>
#include <QDir>
#include <QRegularExpression>
#include <QThread>
#include <sys/socket.h>
#include <unistd.h>

namespace sockscope::test {

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const QByteArray &line : headers.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

UniqueFd connectLoopback(std::uint16_t port)
{
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    if (!fd.valid() ||
        ::connect(fd.get(), reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
        return UniqueFd();
    return fd;
}

namespace {
bool sendAll(int fd, const QByteArray &bytes)
{
    qsizetype sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.constData() + sent,
                                 static_cast<size_t>(bytes.size() - sent), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        sent += n;
    }
    return true;
}

// Whether `received` holds a whole answer (headers and Content-Length bytes).
bool complete(const QByteArray &received, HttpReply &reply)
{
    const qsizetype end = received.indexOf("\r\n\r\n");
    if (end < 0)
        return false;
    reply.headers = received.left(end);
    reply.status = received.mid(9, 3).toInt();
    bool ok = false;
    const qsizetype length = reply.header("content-length").toLongLong(&ok);
    if (!ok || received.size() - end - 4 < length)
        return false;
    reply.body = received.mid(end + 4, length);
    return true;
}
} // namespace

HttpReply httpExchange(std::uint16_t port, const QByteArray &request, int timeoutMs)
{
    HttpReply reply;
    UniqueFd fd = connectLoopback(port);
    if (!fd.valid() || !sendAll(fd.get(), request))
        return reply;
    QDeadlineTimer deadline(timeoutMs);
    QByteArray received;
    char buffer[65536];
    while (!deadline.hasExpired()) {
        pollfd waiter{fd.get(), POLLIN, 0};
        if (::poll(&waiter, 1, static_cast<int>(deadline.remainingTime())) != 1)
            break;
        const ssize_t n = ::recv(fd.get(), buffer, sizeof buffer, 0);
        if (n <= 0)
            break;
        received.append(buffer, n);
        if (complete(received, reply)) {
            // Closed with a reset: a scrape leaves no TIME_WAIT socket behind
            // to change the counts the tests read.
            const linger abort{1, 0};
            ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
            return reply;
        }
    }
    return complete(received, reply) ? reply : HttpReply{};
}

HttpReply httpGet(std::uint16_t port, const QByteArray &path, const QByteArray &extraHeaders,
                  int timeoutMs)
{
    QByteArray request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!extraHeaders.isEmpty())
        request += extraHeaders + "\r\n";
    return httpExchange(port, request + "\r\n", timeoutMs);
}

QHash<QByteArray, double> parseSamples(const QByteArray &exposition)
{
    QHash<QByteArray, double> samples;
    for (const QByteArray &line : exposition.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype space = line.lastIndexOf(' ');
        if (space > 0)
            samples.insert(line.left(space), line.mid(space + 1).toDouble());
    }
    return samples;
}

ExporterProcess::ExporterProcess(const QStringList &arguments)
{
    QStringList all{QStringLiteral("exporter")};
    if (!arguments.contains(QStringLiteral("--listen")))
        all << QStringLiteral("--listen") << QStringLiteral("127.0.0.1:0");
    startServer(m_process, QStringLiteral(SOCKSCOPE_BINARY), all + arguments);
}

ExporterProcess::~ExporterProcess()
{
    stopProcess(m_process, 10000);
}

QByteArray ExporterProcess::stderrText()
{
    m_stderr += m_process.readAllStandardError();
    return m_stderr;
}

bool ExporterProcess::waitServing(int timeoutMs)
{
    static const QRegularExpression serving(QStringLiteral("serving http://[^ ]+:(\\d+)/metrics"));
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const auto match = serving.match(QString::fromUtf8(stderrText()));
        if (match.hasMatch()) {
            m_port = static_cast<std::uint16_t>(match.captured(1).toUInt());
            return true;
        }
        if (m_process.state() == QProcess::NotRunning)
            return false;
        m_process.waitForReadyRead(50);
    }
    return false;
}

HttpReply ExporterProcess::scrape(const QByteArray &extraHeaders)
{
    return httpGet(m_port, "/metrics", extraHeaders);
}

std::optional<double> ExporterProcess::value(const QByteArray &series)
{
    const HttpReply reply = scrape();
    if (reply.status != 200)
        return std::nullopt;
    const QHash<QByteArray, double> samples = parseSamples(reply.body);
    const auto found = samples.constFind(series);
    if (found == samples.constEnd())
        return std::nullopt;
    return found.value();
}

std::optional<double> ExporterProcess::waitForValue(const QByteArray &series, double expected,
                                                    int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    std::optional<double> last;
    while (true) {
        last = value(series);
        if ((last && *last == expected) || deadline.hasExpired())
            return last;
        QThread::msleep(50);
    }
}

int ExporterProcess::descriptorCount() const
{
    return static_cast<int>(QDir(QStringLiteral("/proc/%1/fd").arg(m_process.processId()))
                                .entryList(QDir::NoDotAndDotDot | QDir::AllEntries)
                                .size());
}

} // namespace sockscope::test
