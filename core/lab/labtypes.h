// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "explain/explanation.h"
#include "model/socketrecord.h"

#include <cstdint>
#include <optional>
#include <QList>
#include <QMetaType>
#include <QString>

namespace sockscope {

// What a lab listener does with connections the kernel completed.
enum class AcceptMode
{
    Auto,
    Pause,
    Close,
    Hold
};
// auto: accept and keep reading until the peer closes, then close;
// pause: do not accept (the accept queue fills: Recv-Q of the LISTEN row);
// close: accept and close at once (the server of S4);
// hold: accept and keep the connection open, never reading.

// Where the accept loop runs: on the lab's event loop, or in a thread blocked
// in accept() (the shape of S1 and S6).
enum class AcceptLoop
{
    EventLoop,
    Thread
};

// naive: close the descriptor while the accept thread may still be blocked
// (S1: the socket stays in LISTEN, owned by nobody); graceful: set the stop
// flag, shutdown(), join the thread, then close (S6).
enum class StopMode
{
    Naive,
    Graceful
};

// What a client does after connecting.
enum class ClosePolicy
{
    Keep,
    Close,
    HalfClose,
    Reset,
    NeverClose
};
// keep: stay open (reads and closes on the peer's FIN, like a well-behaved client);
// close: close() now or after closeDelayMs; half-close: shutdown(SHUT_WR);
// reset: SO_LINGER 0 then close (RST, no TIME_WAIT);
// never-close: keep the socket after the peer's FIN: CLOSE_WAIT forever (S4).

// How a lab server process reacts to accept() failing (EMFILE...).
enum class AcceptErrorPolicy
{
    Spin,
    Backoff,
    Cap
};

QString acceptModeName(AcceptMode mode);
QString closePolicyName(ClosePolicy policy);
QString acceptErrorPolicyName(AcceptErrorPolicy policy);
std::optional<AcceptMode> acceptModeFromName(const QString &name);
// Also accepts "never-close-on-eof", the name for never-close.
std::optional<ClosePolicy> closePolicyFromName(const QString &name);
std::optional<AcceptErrorPolicy> acceptErrorPolicyFromName(const QString &name);
QString acceptLoopName(AcceptLoop loop); // "event-loop", "thread"
QString stopModeName(StopMode mode);     // "naive", "graceful"
std::optional<StopMode> stopModeFromName(const QString &name);

struct ListenerSpec
{
    Family family = Family::IPv4;
    Endpoint local; // port 0: the kernel picks
    bool reuseAddr = false;
    bool reusePort = false;
    int backlog = 128;
    AcceptMode accept = AcceptMode::Auto;
    AcceptLoop loop = AcceptLoop::EventLoop;
};

struct ClientSpec
{
    Family family = Family::IPv4;
    Endpoint remote;
    std::optional<Endpoint> local; // a fixed local address/port (S4)
    bool reuseAddr = false;        // SO_REUSEADDR on the client socket before bind
    int count = 1;                 // 1..10000
    ClosePolicy then = ClosePolicy::Keep;
    int closeDelayMs = 0; // for ClosePolicy::Close
    int timeoutMs = 3000; // per connect
};

enum class ClientPhase
{
    Connected,
    Failed,
    PeerClosed,
    HalfClosed,
    Closed,
    Reset
};
QString clientPhaseName(ClientPhase phase);

// A lab client, or a connection a lab listener accepted (then `listener` is
// its id, its own id is "L1.2" and `policy` is unused).
struct ClientStatus
{
    QString id; // "C3", "L1.2"
    QString listener;
    Family family = Family::IPv4;
    Endpoint local;
    Endpoint remote;
    ClientPhase phase = ClientPhase::Connected;
    ClosePolicy policy = ClosePolicy::Keep;
    std::optional<Explanation> failure; // connect/bind failure, explained
};

struct ListenerStatus
{
    QString id; // "L1"
    ListenerSpec spec;
    Endpoint bound;    // the address actually bound (real port when spec port was 0)
    bool open = false; // we hold a listening descriptor
    bool acceptThreadRunning = false;
    int accepted = 0;
    int held = 0; // accepted connections still open
    int acceptErrors = 0;
    // Every connection it accepted and kept (ids L1.1, L1.2...), open or not:
    // they live on after the listener closes, as in any server.
    QList<ClientStatus> connections;
    // Connections still in the accept queue when the last close really closed
    // the listening socket: the kernel reset them.
    int queuedReset = 0;
};

struct ServerSpec
{
    Family family = Family::IPv4;
    Endpoint local;
    int nofile = 0; // RLIMIT_NOFILE of the child; 0 keeps the inherited limit
    bool reuseAddr = false;
    bool reusePort = false;
    AcceptErrorPolicy policy = AcceptErrorPolicy::Backoff;
    int cap = 0; // for AcceptErrorPolicy::Cap: at most this many open connections
};

struct ServerStatus
{
    QString id; // "P1"
    ServerSpec spec;
    int pid = 0;
    bool running = false;
    Endpoint bound;
    int accepts = 0;
    int acceptErrors = 0;    // failed accept() calls
    QString lastAcceptErrno; // "EMFILE"
    int spinRetries = 0;     // policy spin: immediate retries
    int openConnections = 0;
    int openDescriptors = 0; // as the child counts them in /proc/self/fd
    int exitStatus = -1;     // once it ended; a signal shows as 128 + signo
};

// One thing the lab did or saw, for the event log and connection timelines.
struct LabEvent
{
    std::int64_t timeMs = 0;
    QString objectId; // "L1", "C3", "P2"
    QString text;     // "listening on 127.0.0.1:9000", "accept() failed: EMFILE"
    std::optional<Explanation> failure;
};

} // namespace sockscope

Q_DECLARE_METATYPE(sockscope::LabEvent)
