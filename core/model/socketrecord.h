// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "model/tcpstate.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <QMetaType>
#include <QString>

namespace sockscope {

enum class Family : std::uint8_t
{
    IPv4,
    IPv6
};

// An address and port as the kernel reports them, in network byte order for
// the address bytes; IPv4 uses the first 4 bytes. Cheap to copy and compare,
// formatted only when shown.
struct Endpoint
{
    std::array<std::uint8_t, 16> address{};
    std::uint16_t port = 0; // host byte order

    // inet_ntop's text for the address in the given family (IPv4-mapped IPv6 stays
    // "::ffff:a.b.c.d").
    QString addressText(Family family) const;
    // "127.0.0.1:9000", "[::1]:9000"
    QString text(Family family) const;
    // The same characters written to `out` (kTextMax bytes at least, no NUL
    // added), returning how many: for writers that avoid QString (dump).
    static constexpr std::size_t kTextMax = 56; // "[" + 45 + "]:" + 5 digits, rounded up
    std::size_t writeAddress(Family family, char *out) const;
    std::size_t writeText(Family family, char *out) const;
    bool isUnspecified() const;
    // An IPv6 address of the form ::ffff:a.b.c.d (IPv4 in the last 4 bytes).
    bool isV4Mapped() const;
    friend bool operator==(const Endpoint &, const Endpoint &) = default;
};

// Optional tcp_info figures, present when the dump asked for INET_DIAG_INFO.
struct TcpInfoSummary
{
    std::uint32_t rttUs = 0;
    std::uint32_t rttVarUs = 0;
    std::uint32_t sendCwnd = 0;
    std::uint64_t bytesAcked = 0;
    std::uint64_t bytesReceived = 0;
    // Milliseconds since data was last sent / received: how long a connection
    // has been idle (a CLOSE_WAIT leak's age).
    std::uint32_t lastDataSentMs = 0;
    std::uint32_t lastDataRecvMs = 0;
};

// tcp_info figures behind a shared pointer: only `dump --info` asks for them,
// and an empty one costs a record 16 bytes instead of 48 (the window keeps two
// records per connection, at 100,000 connections). Reads like std::optional.
class OptionalTcpInfo
{
public:
    OptionalTcpInfo() = default;
    OptionalTcpInfo(const TcpInfoSummary &info) : m_info(std::make_shared<TcpInfoSummary>(info)) {}
    bool has_value() const { return m_info != nullptr; }
    explicit operator bool() const { return has_value(); }
    const TcpInfoSummary &operator*() const { return *m_info; }
    const TcpInfoSummary *operator->() const { return m_info.get(); }

private:
    std::shared_ptr<const TcpInfoSummary> m_info;
};

// One socket as one dump saw it. The one-byte fields come first: without
// padding between them it is 88 bytes.
struct SocketRecord
{
    Family family = Family::IPv4;
    TcpState state = TcpState::Unknown;
    TimerKind timer = TimerKind::Off;
    std::uint8_t retrans = 0;
    Endpoint local;
    Endpoint remote;
    std::uint32_t recvQ = 0;
    std::uint32_t sendQ = 0;
    std::uint32_t expiresMs = 0;
    std::uint32_t uid = 0;
    std::uint32_t inode = 0;
    std::uint64_t cookie = 0;
    OptionalTcpInfo info;
};
static_assert(sizeof(SocketRecord) <= 88, "the window keeps two records per connection");

// The connection identity: it survives the kernel's switch to a timewait socket.
struct ConnectionKey
{
    Family family = Family::IPv4;
    Endpoint local;
    Endpoint remote;
    friend bool operator==(const ConnectionKey &, const ConnectionKey &) = default;
};
ConnectionKey connectionKeyOf(const SocketRecord &record);

// Whether the socket's local or remote port is `port`: what "a socket on port P"
// means everywhere (the dump's --port, the ports pane's selection).
inline bool touchesPort(const SocketRecord &socket, std::uint16_t port)
{
    return socket.local.port == port || socket.remote.port == port;
}
std::size_t qHash(const ConnectionKey &key, std::size_t seed = 0) noexcept;

QString familyName(Family family); // "ipv4" / "ipv6"
const char *familyCName(Family family);

} // namespace sockscope

Q_DECLARE_METATYPE(sockscope::SocketRecord)
