// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <QByteArray>
#include <QString>
#include <string>

namespace sockscope {

// One line a lab server process writes to the lab over its report pipe: a
// JSON object with the event and the child's running totals, so a report
// the child had to drop (full pipe) costs nothing but a delay:
//   {"event":"listening","port":9000,"pid":4242,...}
//   {"event":"error","op":"bind","errno":"EADDRINUSE","errnum":98,...}
//   {"event":"accept","accepts":3,"open":3,"fds":7,...}
//   {"event":"accept-error","errno":"EMFILE","errnum":24,"errors":5,"retries":0,...}
//   {"event":"closed","open":2,"fds":6,...}
//   {"event":"status",...} (the totals after reports were dropped)
struct ServerReport
{
    enum class Kind
    {
        Listening,
        Error,
        Accept,
        AcceptError,
        Closed,
        Totals
    };
    Kind kind = Kind::Totals;
    int pid = 0;
    std::uint16_t port = 0;   // Listening
    std::string operation;    // Error: "socket", "bind", "listen", "setrlimit", "arguments"
    int errnum = 0;           // Error, AcceptError
    std::int64_t accepts = 0; // totals, in every report
    std::int64_t acceptErrors = 0;
    std::int64_t spinRetries = 0;
    int openConnections = 0;
    int openDescriptors = 0;
    bool throttled = false; // spin policy: slowed down after spinning too long
};

// The child's side: one line, newline included, at most a few hundred bytes
// (so a pipe write of it is atomic).
std::string encodeServerReport(const ServerReport &report);
// The lab's side: nullopt for a line that is not a report.
std::optional<ServerReport> decodeServerReport(const QByteArray &line);
const char *serverReportKindName(ServerReport::Kind kind);

} // namespace sockscope
