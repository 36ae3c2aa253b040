// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/ssoutput.h"

#include <arpa/inet.h>
#include <limits>
#include <optional>
#include <QList>
#include <QString>
#include <sys/socket.h>

namespace sockscope {

namespace {

std::optional<TcpState> ssState(QByteArrayView name)
{
    static const struct
    {
        const char *ss;
        TcpState state;
    } kNames[] = {
        {"ESTAB", TcpState::Established},    {"SYN-SENT", TcpState::SynSent},
        {"SYN-RECV", TcpState::SynRecv},     {"FIN-WAIT-1", TcpState::FinWait1},
        {"FIN-WAIT-2", TcpState::FinWait2},  {"TIME-WAIT", TcpState::TimeWait},
        {"UNCONN", TcpState::Close},         {"CLOSE", TcpState::Close},
        {"BOUND-INACTIVE", TcpState::Close}, {"CLOSE-WAIT", TcpState::CloseWait},
        {"LAST-ACK", TcpState::LastAck},     {"LISTEN", TcpState::Listen},
        {"CLOSING", TcpState::Closing},
    };
    for (const auto &entry : kNames) {
        if (name == QByteArrayView(entry.ss))
            return entry.state;
    }
    return std::nullopt;
}

// "127.0.0.1:80", "[::1]:80", "127.0.0.1%lo:80", "*:80", "*:*", "*". The family
// is IPv6 when the address is bracketed or has a colon.
bool parseEndpoint(QByteArrayView text, Endpoint &endpoint, std::optional<Family> &family)
{
    const qsizetype colon = text.lastIndexOf(':');
    QByteArrayView address = colon < 0 ? text : text.first(colon);
    const QByteArrayView port = colon < 0 ? QByteArrayView("*") : text.sliced(colon + 1);
    if (port == QByteArrayView("*")) {
        endpoint.port = 0;
    } else {
        bool ok = false;
        const uint value = QByteArray(port.data(), port.size()).toUInt(&ok);
        if (!ok || value > 65535)
            return false;
        endpoint.port = static_cast<std::uint16_t>(value);
    }
    if (address.startsWith('[') && address.endsWith(']')) {
        address = address.sliced(1, address.size() - 2);
        family = Family::IPv6;
    }
    if (const qsizetype percent = address.indexOf('%'); percent >= 0)
        address = address.first(percent);
    if (address == QByteArrayView("*") || address.isEmpty())
        return true; // unspecified: the zero address of whichever family
    const QByteArray copy(address.data(), address.size());
    if (inet_pton(AF_INET, copy.constData(), endpoint.address.data()) == 1) {
        if (!family)
            family = Family::IPv4;
        return true;
    }
    family = Family::IPv6;
    return inet_pton(AF_INET6, copy.constData(), endpoint.address.data()) == 1;
}

// ss prints times and round-trip times as decimals; a value a 32-bit field
// cannot hold (negative, NaN, "1e20") saturates instead of being cast, which
// would be undefined.
std::uint32_t saturatedCount(double value)
{
    constexpr double kMax = std::numeric_limits<std::uint32_t>::max();
    if (!(value > 0))
        return 0;
    return value >= kMax ? std::numeric_limits<std::uint32_t>::max()
                         : static_cast<std::uint32_t>(value);
}

// "119min", "59sec", "1min3sec", "2.500sec", "200ms" -> milliseconds.
std::uint32_t parseDuration(QByteArrayView text)
{
    double total = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        qsizetype start = i;
        while (i < text.size() &&
               (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
            ++i;
        const double value = QByteArray(text.data() + start, i - start).toDouble();
        start = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
            ++i;
        const QByteArrayView unit = text.sliced(start, i - start);
        if (unit == QByteArrayView("min"))
            total += value * 60000;
        else if (unit == QByteArrayView("sec"))
            total += value * 1000;
        else if (unit == QByteArrayView("ms"))
            total += value;
        else
            break;
    }
    return saturatedCount(total);
}

// timer:(keepalive,119min,0)
void parseTimer(QByteArrayView inner, SocketRecord &record)
{
    const QList<QByteArray> parts = QByteArray(inner.data(), inner.size()).split(',');
    if (parts.size() < 3)
        return;
    const QByteArray &name = parts[0];
    record.timer = name == "on"          ? TimerKind::Retransmit
                   : name == "keepalive" ? TimerKind::Keepalive
                   : name == "timewait"  ? TimerKind::TimeWait
                   : name == "persist"   ? TimerKind::Probe
                                         : TimerKind::Off;
    record.expiresMs = parseDuration(parts[1]);
    record.retrans = static_cast<std::uint8_t>(qMin(parts[2].toUInt(), 255u));
}

// users:(("sshd",pid=812,fd=3),("nginx: worker",pid=9,fd=6)): a command may hold
// commas and parentheses, but only inside its quotes.
void parseUsers(QByteArrayView inner, OwnerLookup &owner)
{
    qsizetype i = 0;
    while ((i = inner.indexOf("(\"", i)) >= 0) {
        const qsizetype close = inner.indexOf("\",", i + 2);
        if (close < 0)
            return;
        OwnerProcess process;
        process.command = QString::fromUtf8(inner.sliced(i + 2, close - i - 2));
        const qsizetype end = inner.indexOf(')', close);
        const QByteArray rest(inner.data() + close + 2, (end < 0 ? inner.size() : end) - close - 2);
        for (const QByteArray &field : rest.split(',')) {
            if (field.startsWith("pid="))
                process.pid = field.mid(4).toInt();
            else if (field.startsWith("fd="))
                process.fd = field.mid(3).toInt();
        }
        owner.owners.append(process);
        i = end < 0 ? inner.size() : end;
    }
}

// The value of "key:value" fields of the info line and the socket line.
void parseInfoField(QByteArrayView field, TcpInfoSummary &info, bool &seen)
{
    const qsizetype colon = field.indexOf(':');
    if (colon < 0)
        return;
    const QByteArrayView key = field.first(colon);
    const QByteArray value(field.data() + colon + 1, field.size() - colon - 1);
    if (key == QByteArrayView("rtt")) {
        const QList<QByteArray> parts = value.split('/');
        info.rttUs = saturatedCount(parts.value(0).toDouble() * 1000);
        info.rttVarUs = saturatedCount(parts.value(1).toDouble() * 1000);
    } else if (key == QByteArrayView("cwnd")) {
        info.sendCwnd = value.toUInt();
    } else if (key == QByteArrayView("bytes_acked")) {
        info.bytesAcked = value.toULongLong();
    } else if (key == QByteArrayView("bytes_received")) {
        info.bytesReceived = value.toULongLong();
    } else if (key == QByteArrayView("lastsnd")) {
        info.lastDataSentMs = value.toUInt();
    } else if (key == QByteArrayView("lastrcv")) {
        info.lastDataRecvMs = value.toUInt();
    } else {
        return;
    }
    seen = true;
}

// Whitespace-separated fields; a field with parentheses (users:(...)) may hold
// spaces inside quotes and runs to its closing parenthesis.
QList<QByteArrayView> fields(QByteArrayView line)
{
    QList<QByteArrayView> result;
    qsizetype i = 0;
    while (i < line.size()) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
            ++i;
        if (i >= line.size())
            break;
        const qsizetype start = i;
        int depth = 0;
        bool quoted = false;
        while (i < line.size() &&
               (quoted || depth > 0 || !std::isspace(static_cast<unsigned char>(line[i])))) {
            const char c = line[i];
            if (c == '"')
                quoted = !quoted;
            else if (!quoted && c == '(')
                ++depth;
            else if (!quoted && c == ')')
                --depth;
            ++i;
        }
        result.append(line.sliced(start, i - start));
    }
    return result;
}

QByteArrayView inside(QByteArrayView field, qsizetype prefix)
{
    QByteArrayView inner = field.sliced(prefix);
    if (inner.startsWith('('))
        inner = inner.sliced(1);
    if (inner.endsWith(')'))
        inner.chop(1);
    return inner;
}

std::optional<SsSocket> parseSocketLine(QByteArrayView line)
{
    const QList<QByteArrayView> parts = fields(line);
    if (parts.size() < 5)
        return std::nullopt;
    const auto state = ssState(parts[0]);
    if (!state)
        return std::nullopt;
    SsSocket socket;
    SocketRecord &record = socket.record;
    record.state = *state;
    bool ok = false;
    record.recvQ = QByteArray(parts[1].data(), parts[1].size()).toUInt(&ok);
    if (!ok)
        return std::nullopt;
    record.sendQ = QByteArray(parts[2].data(), parts[2].size()).toUInt(&ok);
    if (!ok)
        return std::nullopt;
    std::optional<Family> family;
    if (!parseEndpoint(parts[3], record.local, family) ||
        !parseEndpoint(parts[4], record.remote, family))
        return std::nullopt;
    record.family = family.value_or(Family::IPv4);
    bool users = false;
    for (qsizetype i = 5; i < parts.size(); ++i) {
        const QByteArrayView field = parts[i];
        if (field.startsWith("users:")) {
            parseUsers(inside(field, 6), socket.owner);
            users = true;
        } else if (field.startsWith("timer:")) {
            parseTimer(inside(field, 6), record);
        } else if (field.startsWith("uid:")) {
            record.uid = QByteArray(field.data() + 4, field.size() - 4).toUInt();
        } else if (field.startsWith("ino:")) {
            record.inode = QByteArray(field.data() + 4, field.size() - 4).toUInt();
        } else if (field.startsWith("sk:")) {
            record.cookie = QByteArray(field.data() + 3, field.size() - 3).toULongLong(nullptr, 16);
        }
    }
    // Without users: nobody holds it when the kernel says no inode (a timewait
    // socket, an orphan); otherwise ss may not have been allowed to look.
    socket.owner.ownership = users               ? Ownership::Owned
                             : record.inode == 0 ? Ownership::Orphaned
                                                 : Ownership::Unknown;
    return socket;
}

} // namespace

SsParse parseSsOutput(QByteArrayView text)
{
    SsParse parse;
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        const QByteArrayView line = text.sliced(start, end - start);
        start = end + 1;
        if (line.trimmed().isEmpty())
            continue;
        const bool continuation = std::isspace(static_cast<unsigned char>(line[0]));
        if (continuation && !parse.sockets.empty()) {
            TcpInfoSummary info;
            bool seen = false;
            for (const QByteArrayView field : fields(line))
                parseInfoField(field, info, seen);
            if (seen)
                parse.sockets.back().record.info = info;
            continue;
        }
        if (auto socket = parseSocketLine(line)) {
            parse.sockets.push_back(std::move(*socket));
        } else {
            if (parse.skippedLines++ == 0)
                parse.firstSkipped =
                    QString::fromUtf8(line.first(qMin<qsizetype>(line.size(), 80)));
        }
    }
    return parse;
}

} // namespace sockscope
