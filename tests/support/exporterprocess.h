// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/uniquefd.h"

#include <cstdint>
#include <optional>
#include <QByteArray>
#include <QHash>
#include <QProcess>
#include <QStringList>

namespace sockscope::test {

// An HTTP answer as a plain client reads it off a socket.
struct HttpReply
{
    int status = 0;     // 0: no answer (refused, closed, timed out)
    QByteArray headers; // the header block, lines as sent
    QByteArray body;
    QByteArray header(const QByteArray &name) const; // case-insensitive; first one
};

// Sends `request` (bytes as they are) to 127.0.0.1:port and reads the answer
// until the server closes or Content-Length is reached, within timeoutMs.
HttpReply httpExchange(std::uint16_t port, const QByteArray &request, int timeoutMs = 10000);
// GET path with Connection: close and any extra header lines ("Accept: ...").
HttpReply httpGet(std::uint16_t port, const QByteArray &path, const QByteArray &extraHeaders = {},
                  int timeoutMs = 10000);
// A connected client socket to 127.0.0.1:port (blocking), for clients that misbehave.
UniqueFd connectLoopback(std::uint16_t port);

// Samples of a text exposition, by series as printed: `name{labels}` -> value.
QHash<QByteArray, double> parseSamples(const QByteArray &exposition);

// The real `sockscope exporter`, listening on a port the kernel picks
// (--listen 127.0.0.1:0 unless the arguments say otherwise).
class ExporterProcess
{
public:
    explicit ExporterProcess(const QStringList &arguments = {});
    ~ExporterProcess();
    // Waits for its "serving http://..." line; false (reason in stderr()) if
    // it exited or did not say within timeoutMs.
    bool waitServing(int timeoutMs = 15000);
    std::uint16_t port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    QByteArray stderrText();
    HttpReply scrape(const QByteArray &extraHeaders = {});
    // The series' value in the newest scrape once it equals `expected`, or the
    // last value seen when timeoutMs passed (nullopt: the series was absent).
    std::optional<double> waitForValue(const QByteArray &series, double expected,
                                       int timeoutMs = 10000);
    // The series' current value (nullopt: absent, or the scrape failed).
    std::optional<double> value(const QByteArray &series);
    // Open descriptors of the exporter (/proc/PID/fd).
    int descriptorCount() const;

private:
    QProcess m_process;
    QByteArray m_stderr;
    std::uint16_t m_port = 0;
};

} // namespace sockscope::test
