// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/httprequest.h"
#include "util/result.h"

#include <cstdint>
#include <functional>
#include <QHostAddress>
#include <QObject>

class QTcpServer;

namespace sockscope {

// A small HTTP/1.1 server on the calling thread's event loop, for the
// exporter's few GET routes. Each connection reads one request at a time
// (HttpRequestReader's limits), answers it from the handler, and reads the
// next only once the answer is written, so a client that does not read holds
// one response at most. A request must arrive within the request timeout of
// its first byte, an idle kept-alive connection is closed after the idle one,
// a response must be taken within the write one; past kMaxConnections new
// connections are closed at once. Nothing here blocks.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<HttpResponse(const HttpRequest &)>;
    static constexpr int kMaxConnections = 512;
    static constexpr int kDefaultRequestTimeoutMs = 5000;
    static constexpr int kDefaultIdleTimeoutMs = 120000;
    static constexpr int kDefaultWriteTimeoutMs = 30000;

    explicit HttpServer(Handler handler, QObject *parent = nullptr);
    ~HttpServer() override;

    // The error's errnum is EADDRINUSE, EACCES, EADDRNOTAVAIL or 0 (other).
    Status listen(const QHostAddress &address, std::uint16_t port);
    std::uint16_t port() const;
    void setTimeouts(int requestMs, int idleMs, int writeMs);

    int connectionCount() const { return m_connections; }
    std::uint64_t requestsAnswered() const { return m_answered; }

    // "HTTP/1.1 200 OK" and the rest, for the handler's response.
    static QByteArray encode(const HttpResponse &response, bool headOnly, bool keepAlive);

private:
    class Connection;
    void acceptPending();

    Handler m_handler;
    QTcpServer *m_server;
    int m_connections = 0;
    std::uint64_t m_answered = 0;
    int m_requestTimeoutMs = kDefaultRequestTimeoutMs;
    int m_idleTimeoutMs = kDefaultIdleTimeoutMs;
    int m_writeTimeoutMs = kDefaultWriteTimeoutMs;
};

} // namespace sockscope
