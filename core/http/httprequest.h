// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <utility>

namespace sockscope {

struct HttpRequest
{
    QByteArray method;                                // "GET", "HEAD"
    QByteArray path;                                  // the target without its query
    int minorVersion = 1;                             // HTTP/1.0 or HTTP/1.1
    QList<std::pair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed

    QByteArray header(const QByteArray &lowerName) const;
    // HTTP/1.1 keeps the connection unless told to close; 1.0 only when asked.
    bool keepAlive() const;
};

struct HttpResponse
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers; // extra ones (Allow, Retry-After)
};

// Reads one request at a time from the bytes a connection delivers, strictly:
// a request line and headers within fixed limits, no body (a scraper never
// sends one). Whatever is malformed ends in an error status to answer before
// closing, never in waiting for more.
class HttpRequestReader
{
public:
    static constexpr qsizetype kMaxRequestLine = 8 * 1024;
    static constexpr qsizetype kMaxHeaderBytes = 32 * 1024;
    static constexpr int kMaxHeaders = 100;

    enum class State
    {
        Incomplete, // more bytes needed
        Complete,   // request() holds it; take() it before feeding more
        Failed      // failureStatus() says which answer
    };

    // Appends bytes and parses as far as they go.
    State feed(const QByteArray &bytes);
    State state() const { return m_state; }
    bool started() const { return !m_buffer.isEmpty() || m_state != State::Incomplete; }
    const HttpRequest &request() const { return m_request; }
    int failureStatus() const { return m_failureStatus; }
    QByteArray failureReason() const { return m_failureReason; }
    // Forgets the request just answered and parses what followed it (pipelining).
    State next();

private:
    State parse();
    State fail(int status, const char *reason);
    bool parseRequestLine(const QByteArray &line);
    bool parseHeaderLine(const QByteArray &line);

    QByteArray m_buffer;
    qsizetype m_consumed = 0; // bytes of m_buffer that made up the current request
    HttpRequest m_request;
    State m_state = State::Incomplete;
    int m_failureStatus = 0;
    QByteArray m_failureReason;
};

} // namespace sockscope
