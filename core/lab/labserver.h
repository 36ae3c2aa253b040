// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "lab/labtypes.h"
#include "lab/serverreport.h"
#include "util/result.h"
#include "util/uniquefd.h"

#include <cstdint>
#include <QStringList>
#include <vector>

namespace sockscope {

// What `sockscope __lab-server` was asked to do.
struct LabServerOptions
{
    Family family = Family::IPv4;
    Endpoint local;
    int nofile = 0; // RLIMIT_NOFILE soft limit; 0 keeps the inherited one
    bool reuseAddr = false;
    bool reusePort = false;
    AcceptErrorPolicy policy = AcceptErrorPolicy::Backoff;
    int cap = 0;
    int backlog = 128;
    int reportFd = -1;
};

// Parses `--listen ADDR:PORT [--nofile N] [--reuseaddr] [--reuseport]
// [--policy spin|backoff|cap] [--cap N] [--backlog N] --report-fd FD`
// (the arguments after "__lab-server"). The Error (EINVAL) names the bad one.
Result<LabServerOptions> parseLabServerArguments(const QStringList &arguments);
// The same options as arguments, for the lab starting a child.
QStringList labServerArguments(const LabServerOptions &options);

// The server process's main loop: plain poll(), no Qt event loop. It listens,
// accepts and holds connections, closes each when its peer closes (so S2
// recovers), and reacts to accept() failing as its policy says; it reports
// every step over the report pipe and exits when the lab closes that pipe.
class LabServer
{
public:
    explicit LabServer(LabServerOptions options);
    // 0 when the lab went away, 1 when it could not listen.
    int run();

private:
    void loop();
    void acceptSome();
    void acceptFailed(int errnum);
    void closeConnection(std::size_t index);
    void report(ServerReport::Kind kind, int errnum = 0, const char *operation = "");
    void sendLine(const std::string &line);
    int countDescriptors() const;
    bool mayAccept(std::int64_t now) const;

    LabServerOptions m_options;
    UniqueFd m_listen;
    std::uint16_t m_port = 0;
    std::vector<UniqueFd> m_connections;
    std::int64_t m_accepts = 0;
    std::int64_t m_acceptErrors = 0;
    std::int64_t m_spinRetries = 0;
    bool m_spinning = false;
    bool m_throttled = false;
    std::int64_t m_spinSinceMs = 0;
    std::int64_t m_lastSpinReportMs = 0;
    int m_backoffMs = 5;
    std::int64_t m_retryAtMs = 0;
    bool m_reportDropped = false;
    bool m_labGone = false;
};

// See lab.h: runLabServerProcess(argc, argv) parses and runs a LabServer.

} // namespace sockscope
