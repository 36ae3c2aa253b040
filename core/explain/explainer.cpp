// SPDX-License-Identifier: GPL-3.0-or-later
#include "explain/explainer.h"

#include "explain/loopbackstate.h"
#include "explain/portsnapshot.h"
#include "explain/systemlimits.h"

#include <cerrno>
#include <cstring>
#include <pwd.h>
#include <QMap>
#include <unistd.h>

namespace sockscope {

namespace {

using Operation = FailureContext::Operation;

QString operationText(const FailureContext &c)
{
    const QString local = c.local.text(c.family);
    switch (c.operation) {
    case Operation::Bind:
        return QStringLiteral("bind %1").arg(local);
    case Operation::Listen:
        return QStringLiteral("listen on %1").arg(local);
    case Operation::Connect:
        return QStringLiteral("connect to %1").arg(c.remote ? c.remote->text(c.family) : local);
    case Operation::Accept:
        return QStringLiteral("accept on %1").arg(local);
    case Operation::Socket:
        break;
    }
    return QStringLiteral("socket()");
}

Endpoint remoteOf(const FailureContext &c)
{
    return c.remote.value_or(c.local);
}

// "127.0.0.1:9000 is still held by X; it ends..., and by Y; ..., and 3 more sockets (3 TIME_WAIT)"
QString heldBySentence(const QString &subject, const QList<Culprit> &culprits)
{
    constexpr qsizetype kNamed = 2;
    QString sentence = subject + QStringLiteral(" is still held by ");
    for (qsizetype i = 0; i < culprits.size() && i < kNamed; ++i) {
        if (i > 0)
            sentence += QStringLiteral(", and by ");
        sentence += culprits[i].description + QStringLiteral("; ") + culprits[i].whenItEnds;
    }
    if (culprits.size() > kNamed) {
        QMap<QString, int> states;
        for (qsizetype i = kNamed; i < culprits.size(); ++i)
            ++states[socketStateDisplayName(culprits[i].socket)];
        QStringList counts;
        for (auto it = states.cbegin(); it != states.cend(); ++it)
            counts << QStringLiteral("%1 %2").arg(it.value()).arg(it.key());
        sentence += QStringLiteral(", and %1 more sockets (%2)")
                        .arg(culprits.size() - kNamed)
                        .arg(counts.join(QStringLiteral(", ")));
    }
    return sentence;
}

// The one rule of SO_REUSEADDR/SO_REUSEPORT that decides this failure, after
// the first (most binding) culprit.
QString userName(std::uint32_t uid)
{
    passwd entry{};
    passwd *found = nullptr;
    char buffer[1024];
    if (::getpwuid_r(uid, &entry, buffer, sizeof buffer, &found) == 0 && found)
        return QString::fromLocal8Bit(found->pw_name);
    return QStringLiteral("uid %1").arg(uid);
}

QString addressInUseNote(const FailureContext &c, const Culprit &first)
{
    const SocketRecord &s = first.socket;
    // No option of ours shares a port with another user's socket.
    if (s.inode != 0 && s.uid != ::geteuid())
        return QStringLiteral("that socket belongs to user %1, not to you: stop its process (as "
                              "%1 or root) or use another port")
            .arg(userName(s.uid));
    if (s.state == TcpState::Listen) {
        if (first.owner.ownership == Ownership::Orphaned)
            return QStringLiteral("SO_REUSEADDR does not help against a LISTEN socket; shutdown() "
                                  "on the listener wakes the accept() before the close");
        if (c.reusePort)
            return QStringLiteral("SO_REUSEPORT shares a port only when every socket on it set "
                                  "SO_REUSEPORT before bind() and belongs to the same user; that "
                                  "LISTEN socket did not, or is another user's");
        return QStringLiteral("a second socket on a listening address needs SO_REUSEPORT on both "
                              "sockets; SO_REUSEADDR does not allow it");
    }
    if (s.state == TcpState::TimeWait) {
        if (c.reuseAddr)
            return QStringLiteral("SO_REUSEADDR did not help: Linux lets a bind pass a TIME_WAIT "
                                  "socket only when the socket it came from also set "
                                  "SO_REUSEADDR, and the kernel does not report that flag for "
                                  "other sockets");
        return QStringLiteral("with SO_REUSEADDR the bind passes only if the socket this TIME_WAIT "
                              "came from also set it; the kernel does not report that flag, a "
                              "probe bind tells");
    }
    if (isBoundInactive(s))
        return QStringLiteral("a socket that is only bound holds its port all the same: a second "
                              "bind passes only when both sockets set SO_REUSEADDR (and neither "
                              "listens) or both set SO_REUSEPORT");
    if (c.reuseAddr)
        return QStringLiteral("SO_REUSEADDR did not help: it must be set on both sockets, and "
                              "that connection's socket did not set it; the kernel does not "
                              "report the flag");
    return QStringLiteral("the port stays taken as long as that connection exists, with or "
                          "without SO_REUSEADDR on the new socket alone");
}

void explainAddressInUse(const FailureContext &c, Explanation &e)
{
    const QString address = c.local.text(c.family);
    auto snapshot = PortSnapshot::take(c.local.port);
    if (!snapshot) {
        e.summary = QStringLiteral("%1 is already in use by another socket").arg(address);
        e.note =
            QStringLiteral("the sockets could not be listed: %1").arg(snapshot.error().message);
        return;
    }
    std::vector<OwnedSocket> holders;
    if (c.operation == Operation::Connect && c.remote)
        holders = snapshot->connections(c.family, c.local, *c.remote);
    if (holders.empty())
        holders = snapshot->holders(c.family, c.local);
    for (const OwnedSocket &holder : holders)
        e.culprits << describeCulprit(holder);
    if (e.culprits.isEmpty()) {
        e.summary = QStringLiteral("%1 is in use, but the dump shows no TCP socket on it: a "
                                   "socket can be bound without listening or connecting (sock_diag "
                                   "lists those only from Linux 6.8 on), or it closed meanwhile")
                        .arg(address);
        return;
    }
    e.summary = heldBySentence(address, e.culprits);
    e.note = addressInUseNote(c, e.culprits.first());
}

void explainAddressNotAvailable(const FailureContext &c, Explanation &e)
{
    if (c.operation != Operation::Connect || !c.remote) {
        e.summary = QStringLiteral("%1 is not an address of this machine: bind() needs an address "
                                   "one of its interfaces has (loopback: 127.0.0.0/8 and ::1)")
                        .arg(c.local.addressText(c.family));
        return;
    }
    const QString remote = c.remote->text(c.family);
    if (c.local.port != 0) {
        if (auto snapshot = PortSnapshot::take(c.local.port)) {
            for (const OwnedSocket &entry : snapshot->connections(c.family, c.local, *c.remote))
                e.culprits << describeCulprit(entry);
        }
        const QString pair = QStringLiteral("%1 → %2").arg(c.local.text(c.family), remote);
        e.summary =
            e.culprits.isEmpty()
                ? QStringLiteral("the connection %1 already exists or is being closed").arg(pair)
                : heldBySentence(pair, e.culprits);
        e.note = QStringLiteral("one local port can reach one remote address and port only once at "
                                "a time");
        return;
    }
    e.summary = QStringLiteral("no local port is free to connect to %1: every port of "
                               "net.ipv4.ip_local_port_range (%2) is in use towards it")
                    .arg(remote, localPortRange());
}

void explainRefused(const FailureContext &c, Explanation &e)
{
    const Endpoint remote = remoteOf(c);
    const QString address = remote.text(c.family);
    e.summary = QStringLiteral("nothing listens on %1: the kernel answered the connection attempt "
                               "with a reset")
                    .arg(address);
    auto snapshot = PortSnapshot::take(remote.port);
    if (!snapshot)
        return;
    QStringList elsewhere;
    for (const OwnedSocket &entry : snapshot->listeners()) {
        const SocketRecord &s = entry.socket;
        if (bindAddressesOverlap(c.family, remote, s.family, s.local)) {
            e.summary = QStringLiteral("%1 refused the connection, although a LISTEN socket is "
                                       "there now (it may have opened after the attempt)")
                            .arg(address);
            e.culprits << describeCulprit(entry);
            return;
        }
        // An IPv4 connect never reaches a listener on ::1: say which family it is.
        elsewhere << (s.family == c.family ? s.local.text(s.family)
                                           : QStringLiteral("%1 (%2)").arg(s.local.text(s.family),
                                                                           familyName(s.family)));
    }
    if (!elsewhere.isEmpty())
        e.note = QStringLiteral("listeners on this port bind other addresses: %1; connect to one "
                                "of them, or listen on %2 as well")
                     .arg(elsewhere.join(QStringLiteral(", ")), address);
}

void explainTimedOut(const FailureContext &c, Explanation &e)
{
    if (c.operation != Operation::Connect) {
        e.summary = QStringLiteral("%1 timed out").arg(operationText(c));
        return;
    }
    const Endpoint remote = remoteOf(c);
    const QString address = remote.text(c.family);
    e.summary = QStringLiteral("no answer from %1 within the timeout: the SYNs went unanswered (a "
                               "firewall drops them, or the host is down or unreachable)")
                    .arg(address);
    auto snapshot = PortSnapshot::take(remote.port);
    if (!snapshot)
        return;
    for (const OwnedSocket &entry : snapshot->listeners()) {
        const SocketRecord &s = entry.socket;
        if (!bindAddressesOverlap(c.family, remote, s.family, s.local))
            continue;
        // For a listener, Recv-Q is the accept queue and Send-Q the backlog;
        // the kernel drops SYNs once the queue holds more than the backlog.
        if (s.recvQ <= s.sendQ) {
            e.note = QStringLiteral("%1 listens there and its accept queue has room (Recv-Q %2 of "
                                    "backlog %3)")
                         .arg(s.local.text(s.family))
                         .arg(s.recvQ)
                         .arg(s.sendQ);
            continue;
        }
        Culprit culprit = describeCulprit(entry);
        culprit.description += QStringLiteral(" whose accept queue is full (Recv-Q %1, backlog %2)")
                                   .arg(s.recvQ)
                                   .arg(s.sendQ);
        culprit.whenItEnds = QStringLiteral("the kernel drops new SYNs until that process accepts");
        e.summary =
            QStringLiteral("%1 did not complete the handshake in time: it is held up by %2; "
                           "%3")
                .arg(address, culprit.description, culprit.whenItEnds);
        e.note.clear();
        e.culprits << culprit;
        return;
    }
}

void explainDescriptorLimit(const FailureContext &c, Explanation &e)
{
    if (c.operation == Operation::Accept) {
        e.summary = QStringLiteral("accept() on %1 found a connection waiting but the process has "
                                   "no free descriptor (%2); the connection stays in the accept "
                                   "queue until one is free")
                        .arg(c.local.text(c.family), descriptorLimitText());
    } else {
        e.summary = QStringLiteral("%1 failed: this process has used all its descriptors (%2)")
                        .arg(operationText(c), descriptorLimitText());
    }
    e.note = QStringLiteral("raise the soft limit up to the hard one (ulimit -n, "
                            "setrlimit(RLIMIT_NOFILE), LimitNOFILE= in a systemd unit), or close "
                            "descriptors; only root raises the hard limit");
}

void explainFileTableFull(const FailureContext &c, Explanation &e)
{
    e.summary = QStringLiteral("%1 failed: the whole system reached its limit of open files (%2)")
                    .arg(operationText(c), systemFileLimitText());
    e.note = QStringLiteral("raise it with sysctl -w fs.file-max=N as root, or close files");
}

void explainAccess(const FailureContext &c, Explanation &e)
{
    const int unprivileged = unprivilegedPortStart();
    if ((c.operation == Operation::Bind || c.operation == Operation::Listen) && c.local.port != 0 &&
        c.local.port < unprivileged) {
        e.summary = QStringLiteral("port %1 is privileged: ports below %2 "
                                   "(net.ipv4.ip_unprivileged_port_start) need root or "
                                   "CAP_NET_BIND_SERVICE")
                        .arg(c.local.port)
                        .arg(unprivileged);
        e.note = QStringLiteral("setcap cap_net_bind_service=+ep on the program, "
                                "AmbientCapabilities=CAP_NET_BIND_SERVICE in a systemd unit, or a "
                                "port from %1 up")
                     .arg(unprivileged);
        return;
    }
    e.summary = QStringLiteral("%1 was refused: a security module (SELinux, AppArmor) or a "
                               "firewall rule denied it")
                    .arg(operationText(c));
}

void explainInvalid(const FailureContext &c, Explanation &e)
{
    switch (c.operation) {
    case Operation::Bind:
        e.summary = QStringLiteral("bind %1 is invalid here: the socket is already bound, or the "
                                   "address does not fit its family")
                        .arg(c.local.text(c.family));
        return;
    case Operation::Listen:
        e.summary = QStringLiteral("listen on %1 is invalid: the socket is connected or shut down")
                        .arg(c.local.text(c.family));
        return;
    default:
        e.summary = QStringLiteral("%1: invalid argument (an address of the wrong family or "
                                   "length, or a socket in the wrong state)")
                        .arg(operationText(c));
        return;
    }
}

// A down `lo` makes loopback connects unreachable (or, once it was up, SYNs
// that vanish) and ::1 unassigned; the errno alone would send the reader
// looking for a route or a firewall.
bool blamesDownLoopback(int errnum, const FailureContext &c)
{
    const bool timedOut = errnum == ETIMEDOUT && c.operation == Operation::Connect;
    if (errnum != ENETUNREACH && errnum != EADDRNOTAVAIL && !timedOut)
        return false;
    const Endpoint &involved = c.operation == Operation::Connect ? remoteOf(c) : c.local;
    return servedByLoopback(c.family, involved) && loopbackIsDown();
}

} // namespace

Explanation explainFailure(int errnum, const FailureContext &context)
{
    Explanation e;
    e.errnum = errnum;
    e.errnoName = Error{errnum, QString()}.errnoName();
    if (blamesDownLoopback(errnum, context)) {
        e.summary = loopbackDownText();
        return e;
    }
    const QString remote = remoteOf(context).text(context.family);
    switch (errnum) {
    case EADDRINUSE:
        explainAddressInUse(context, e);
        break;
    case EADDRNOTAVAIL:
        explainAddressNotAvailable(context, e);
        break;
    case ECONNREFUSED:
        explainRefused(context, e);
        break;
    case ETIMEDOUT:
        explainTimedOut(context, e);
        break;
    case EMFILE:
        explainDescriptorLimit(context, e);
        break;
    case ENFILE:
        explainFileTableFull(context, e);
        break;
    case EACCES:
        explainAccess(context, e);
        break;
    case EINVAL:
        explainInvalid(context, e);
        break;
    case EAFNOSUPPORT:
        e.summary = QStringLiteral("the %1 address family is not available: IPv6 may be disabled "
                                   "in this kernel (ipv6.disable=1)")
                        .arg(familyName(context.family));
        break;
    case ENETUNREACH:
    case EHOSTUNREACH:
        e.summary = QStringLiteral("no route to %1").arg(remote);
        break;
    case EPERM:
        e.summary = QStringLiteral("%1 was refused: a firewall rule (netfilter) or a missing "
                                   "capability denied it")
                        .arg(operationText(context));
        break;
    case ECONNRESET:
        e.summary = QStringLiteral("%1 reset the connection").arg(remote);
        break;
    case EBADF:
        e.summary =
            QStringLiteral("%1 used a descriptor that was already closed (closed by another "
                           "thread while still in use?)")
                .arg(operationText(context));
        break;
    case ENOBUFS:
    case ENOMEM:
        e.summary = QStringLiteral("%1 failed: the kernel is short of memory for sockets")
                        .arg(operationText(context));
        break;
    default:
        e.summary = QStringLiteral("%1 failed: %2")
                        .arg(operationText(context), QString::fromLocal8Bit(std::strerror(errnum)));
        break;
    }
    return e;
}

} // namespace sockscope
