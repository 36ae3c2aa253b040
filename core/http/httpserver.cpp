// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/httpserver.h"

#include <cerrno>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace sockscope {

namespace {
const char *reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

HttpResponse plainError(int status)
{
    return HttpResponse{
        status, "text/plain; charset=utf-8", QByteArray(reasonPhrase(status)) + '\n', {}};
}
} // namespace

QByteArray HttpServer::encode(const HttpResponse &response, bool headOnly, bool keepAlive)
{
    QByteArray out;
    out.reserve(256 + (headOnly ? 0 : response.body.size()));
    out.append("HTTP/1.1 ")
        .append(QByteArray::number(response.status))
        .append(' ')
        .append(reasonPhrase(response.status))
        .append("\r\n");
    if (!response.contentType.isEmpty())
        out.append("Content-Type: ").append(response.contentType).append("\r\n");
    out.append("Content-Length: ").append(QByteArray::number(response.body.size())).append("\r\n");
    for (const auto &[name, value] : response.headers)
        out.append(name).append(": ").append(value).append("\r\n");
    out.append(keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
    if (!headOnly)
        out.append(response.body);
    return out;
}

// One client: reads a request, answers, waits for the answer to leave, reads
// the next. Deletes itself when the client goes or a timeout ends it.
class HttpServer::Connection : public QObject
{
public:
    Connection(HttpServer *server, QTcpSocket *socket) : QObject(server), m_server(server)
    {
        m_socket = socket;
        socket->setParent(this);
        ++m_server->m_connections;
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, &Connection::timedOut);
        connect(socket, &QTcpSocket::readyRead, this, &Connection::readAvailable);
        connect(socket, &QTcpSocket::bytesWritten, this, &Connection::written);
        connect(socket, &QTcpSocket::disconnected, this, &Connection::finish);
        connect(socket, &QTcpSocket::errorOccurred, this, &Connection::finish);
        m_timer.start(m_server->m_idleTimeoutMs);
        readAvailable();
    }
    ~Connection() override { --m_server->m_connections; }

private:
    void readAvailable()
    {
        if (m_writing || m_closing)
            return; // read once the answer has left
        const bool wasStarted = m_reader.started();
        handle(m_reader.feed(m_socket->readAll()));
        if (!wasStarted && m_reader.started() && !m_writing && !m_closing)
            m_timer.start(m_server->m_requestTimeoutMs);
    }

    void handle(HttpRequestReader::State state)
    {
        if (state == HttpRequestReader::State::Incomplete)
            return;
        if (state == HttpRequestReader::State::Failed) {
            HttpResponse response = plainError(m_reader.failureStatus());
            send(HttpServer::encode(response, false, false), false);
            return;
        }
        const HttpRequest &request = m_reader.request();
        const bool head = request.method == "HEAD";
        HttpResponse response =
            (request.method == "GET" || head) ? m_server->m_handler(request) : plainError(405);
        if (response.status == 405)
            response.headers.append(std::pair<QByteArray, QByteArray>("Allow", "GET, HEAD"));
        ++m_server->m_answered;
        send(HttpServer::encode(response, head, request.keepAlive()), request.keepAlive());
    }

    void send(const QByteArray &bytes, bool keepAlive)
    {
        m_writing = true;
        m_closing = !keepAlive;
        m_socket->write(bytes);
        m_timer.start(m_server->m_writeTimeoutMs);
    }

    void written()
    {
        if (!m_writing || m_socket->bytesToWrite() > 0)
            return;
        m_writing = false;
        if (m_closing) {
            m_socket->disconnectFromHost();
            return;
        }
        // The next request may already be here (pipelined) or in the socket.
        m_reader.next();
        m_timer.start(m_reader.started() ? m_server->m_requestTimeoutMs
                                         : m_server->m_idleTimeoutMs);
        handle(m_reader.state());
        if (!m_writing && !m_closing && m_socket->bytesAvailable() > 0)
            readAvailable();
    }

    void timedOut()
    {
        // A request begun and never finished gets its answer; anything else
        // (idle, or a client that does not take its response) just ends.
        if (!m_writing && !m_closing && m_reader.started()) {
            send(HttpServer::encode(plainError(408), false, false), false);
            m_timer.start(m_server->m_writeTimeoutMs);
            return;
        }
        m_socket->abort();
        finish();
    }

    void finish()
    {
        m_timer.stop();
        m_closing = true;
        deleteLater();
    }

    HttpServer *m_server;
    QTcpSocket *m_socket;
    HttpRequestReader m_reader;
    QTimer m_timer;
    bool m_writing = false;
    bool m_closing = false;
};

HttpServer::HttpServer(Handler handler, QObject *parent)
    : QObject(parent), m_handler(std::move(handler)), m_server(new QTcpServer(this))
{
    // A hundred scrapers connecting at once must not find the kernel's queue
    // full (Qt's default is 50) and wait a second for their SYN's retry.
    m_server->setListenBacklogSize(kMaxConnections);
    m_server->setMaxPendingConnections(kMaxConnections);
    connect(m_server, &QTcpServer::newConnection, this, &HttpServer::acceptPending);
}

HttpServer::~HttpServer() = default;

Status HttpServer::listen(const QHostAddress &address, std::uint16_t port)
{
    if (m_server->listen(address, port))
        return Ok{};
    int errnum = 0;
    switch (m_server->serverError()) {
    case QAbstractSocket::AddressInUseError:
        errnum = EADDRINUSE;
        break;
    case QAbstractSocket::SocketAccessError:
        errnum = EACCES;
        break;
    case QAbstractSocket::SocketAddressNotAvailableError:
        errnum = EADDRNOTAVAIL;
        break;
    default:
        break;
    }
    return Error{errnum, m_server->errorString()};
}

std::uint16_t HttpServer::port() const
{
    return m_server->serverPort();
}

void HttpServer::setTimeouts(int requestMs, int idleMs, int writeMs)
{
    m_requestTimeoutMs = requestMs;
    m_idleTimeoutMs = idleMs;
    m_writeTimeoutMs = writeMs;
}

void HttpServer::acceptPending()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_connections >= kMaxConnections) {
            socket->abort();
            delete socket;
            continue;
        }
        new Connection(this, socket);
    }
}

} // namespace sockscope
