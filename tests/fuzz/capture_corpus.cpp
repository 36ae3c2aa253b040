// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the netlink and trace-record seed corpora (docs/FUZZING.md):
//   capture_corpus OUT-DIR      (as root: it needs a private network namespace)
// netlink/: the kernel's own sock_diag reply datagrams for loopback sockets in
// LISTEN, ESTABLISHED, FIN_WAIT2, CLOSE_WAIT, TIME_WAIT and bound-only CLOSE,
// IPv4 and IPv6, with INET_DIAG_INFO; a dump spread over several datagrams; the
// the kernel's NLMSG_DONE and NLMSG_ERROR for requests it refuses.
// tracerecord/: records laid out by tracerecord.h as tcptrace.bpf.c fills them.
#include "loopback.h"
#include "netns.h"
#include "trace/tracerecord.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace sockscope;
using namespace sockscope::test;
namespace fs = std::filesystem;

namespace {

void writeFile(const fs::path &path, const void *data, std::size_t size)
{
    std::ofstream(path, std::ios::binary)
        .write(static_cast<const char *>(data), static_cast<std::streamsize>(size));
    std::printf("%s: %zu bytes\n", path.c_str(), size);
}

// Sends one sock_diag dump request and saves each reply datagram as
// NAME-1, NAME-2, ... Returns how many datagrams came.
int captureDump(const fs::path &folder, const char *name, std::uint8_t family,
                std::size_t receiveSize, std::uint8_t protocol = IPPROTO_TCP, bool dump = true)
{
    const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0)
        return 0;
    struct
    {
        nlmsghdr header;
        inet_diag_req_v2 request;
    } message{};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = dump ? NLM_F_REQUEST | NLM_F_DUMP : NLM_F_REQUEST;
    message.header.nlmsg_seq = 1;
    message.request.sdiag_family = family;
    message.request.sdiag_protocol = protocol;
    message.request.idiag_states = ~0u;
    message.request.idiag_ext = 1 << (INET_DIAG_INFO - 1);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    int count = 0;
    if (::sendto(fd, &message, sizeof message, 0, reinterpret_cast<sockaddr *>(&kernel),
                 sizeof kernel) == sizeof message) {
        std::vector<char> buffer(receiveSize);
        for (bool done = false; !done;) {
            const ssize_t length = ::recv(fd, buffer.data(), buffer.size(), 0);
            if (length <= 0)
                break;
            writeFile(folder / (std::string(name) + "-" + std::to_string(++count)), buffer.data(),
                      static_cast<std::size_t>(length));
            int remaining = static_cast<int>(length);
            for (auto *header = reinterpret_cast<nlmsghdr *>(buffer.data());
                 NLMSG_OK(header, remaining); header = NLMSG_NEXT(header, remaining))
                done =
                    done || header->nlmsg_type == NLMSG_DONE || header->nlmsg_type == NLMSG_ERROR;
        }
    }
    ::close(fd);
    return count;
}

// Keeps sockets open in the states the corpus shows.
struct Population
{
    std::vector<UniqueFd> open;

    void connections(bool ipv6, int count)
    {
        UniqueFd listener = listenOn(ipv6);
        const std::uint16_t port = localPort(listener.get());
        for (int i = 0; i < count; ++i) {
            ConnectedPair pair = connectPair(listener.get(), port, ipv6);
            ::send(pair.client.get(), "hello", 5, 0);
            open.push_back(std::move(pair.client));
            open.push_back(std::move(pair.server));
        }
        open.push_back(std::move(listener));
    }

    void closingStates(bool ipv6)
    {
        UniqueFd listener = listenOn(ipv6);
        const std::uint16_t port = localPort(listener.get());
        // The client closes first: FIN_WAIT2 here, CLOSE_WAIT on the accepted end.
        ConnectedPair halfClosed = connectPair(listener.get(), port, ipv6);
        halfClosed.client.reset();
        open.push_back(std::move(halfClosed.server));
        // Both close, the client first: TIME_WAIT.
        ConnectedPair closed = connectPair(listener.get(), port, ipv6);
        closed.client.reset();
        closed.server.reset();
        // Bound, never listening: CLOSE.
        UniqueFd bound(::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0));
        sockaddr_storage address{};
        if (ipv6) {
            auto *in6 = reinterpret_cast<sockaddr_in6 *>(&address);
            in6->sin6_family = AF_INET6;
            in6->sin6_addr = in6addr_loopback;
        } else {
            auto *in4 = reinterpret_cast<sockaddr_in *>(&address);
            in4->sin_family = AF_INET;
            in4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        }
        ::bind(bound.get(), reinterpret_cast<sockaddr *>(&address), sizeof address);
        open.push_back(std::move(bound));
        open.push_back(std::move(listener));
    }
};

sockscope_trace_record traceRecord(std::uint8_t kind, std::uint16_t family, std::uint8_t from,
                                   std::uint8_t to, std::uint32_t pid, const char *comm)
{
    sockscope_trace_record record{};
    record.time_ns = 123456789012ull;
    record.cookie = 4097;
    record.family = family;
    if (family == AF_INET) {
        const std::uint8_t loopback[4] = {127, 0, 0, 1};
        std::memcpy(record.local_addr, loopback, 4);
        std::memcpy(record.remote_addr, loopback, 4);
    } else {
        record.local_addr[15] = 1;
        record.remote_addr[15] = 1;
    }
    record.local_port = 40000;
    record.remote_port = 9000;
    record.kind = kind;
    record.old_state = from;
    record.new_state = to;
    record.pid = pid;
    std::strncpy(record.comm, comm, sizeof record.comm - 1);
    return record;
}

void writeTraceRecords(const fs::path &folder)
{
    // Kernel TCP_* values: 1 ESTABLISHED, 2 SYN_SENT, 3 SYN_RECV, 5 FIN_WAIT2,
    // 6 TIME_WAIT, 7 CLOSE, 10 LISTEN.
    const struct
    {
        const char *name;
        sockscope_trace_record record;
    } records[] = {
        {"connect-v4", traceRecord(SOCKSCOPE_TRACE_STATE_CHANGE, AF_INET, 7, 2, 4242, "curl")},
        {"accept-v6", traceRecord(SOCKSCOPE_TRACE_STATE_CHANGE, AF_INET6, 10, 3, 0, "")},
        {"timewait-v4", traceRecord(SOCKSCOPE_TRACE_STATE_CHANGE, AF_INET, 5, 7, 4242, "curl")},
        {"timewait-fin-v6", traceRecord(SOCKSCOPE_TRACE_STATE_CHANGE, AF_INET6, 5, 6, 0, "")},
        {"send-reset-v4", traceRecord(SOCKSCOPE_TRACE_SEND_RESET, AF_INET, 1, 1, 99, "server")},
        {"receive-reset-v6", traceRecord(SOCKSCOPE_TRACE_RECEIVE_RESET, AF_INET6, 1, 1, 0, "")},
    };
    for (const auto &entry : records) {
        sockscope_trace_record record = entry.record;
        if (std::strstr(entry.name, "fin"))
            record.flags = SOCKSCOPE_TRACE_FIN_RECEIVED;
        writeFile(folder / entry.name, &record, sizeof record);
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT-DIR (writes OUT-DIR/netlink, OUT-DIR/tracerecord)\n",
                     argv[0]);
        return 2;
    }
    QString reason;
    if (!enterPrivateNetwork(&reason)) {
        std::fprintf(stderr, "needs a private network namespace (run as root): %s\n",
                     qPrintable(reason));
        return 1;
    }
    const fs::path out = argv[1];
    fs::create_directories(out / "netlink");
    fs::create_directories(out / "tracerecord");

    Population sockets;
    sockets.connections(false, 1);
    sockets.connections(true, 1);
    sockets.closingStates(false);
    sockets.closingStates(true);
    // The orphaned FIN_WAIT2 and TIME_WAIT sockets take a moment on loopback.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    int datagrams = captureDump(out / "netlink", "states-v4", AF_INET, 32768);
    datagrams += captureDump(out / "netlink", "states-v6", AF_INET6, 32768);
    // Enough connections that a small receive buffer splits the reply.
    sockets.connections(false, 8);
    datagrams += captureDump(out / "netlink", "multipart-v4", AF_INET, 4096);
    // No inet_diag handler for protocol 255: NLMSG_DONE carries -ENOENT.
    datagrams += captureDump(out / "netlink", "done-enoent", AF_INET, 4096, 255);
    // A lookup of one socket that does not exist: NLMSG_ERROR.
    datagrams += captureDump(out / "netlink", "error", AF_INET, 4096, IPPROTO_TCP, false);
    writeTraceRecords(out / "tracerecord");
    if (datagrams < 5) {
        std::fprintf(stderr, "only %d reply datagrams: is sock_diag available?\n", datagrams);
        return 1;
    }
    return 0;
}
