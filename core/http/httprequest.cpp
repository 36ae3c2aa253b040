// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/httprequest.h"

namespace sockscope {

QByteArray HttpRequest::header(const QByteArray &lowerName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerName)
            return value;
    }
    return {};
}

bool HttpRequest::keepAlive() const
{
    const QByteArray connection = header("connection").toLower();
    if (minorVersion == 0)
        return connection.contains("keep-alive");
    return !connection.contains("close");
}

namespace {
bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(const QByteArray &text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Whether `start` can begin a request line: its bytes up to the first space
// are a method's (after any empty lines a client may send first).
bool methodPrefixValid(const QByteArray &start)
{
    for (const char c : start) {
        if (c == ' ')
            return true;
        if (!isTokenChar(c) && c != '\r')
            return false;
    }
    return true;
}

bool hasControl(const QByteArray &text)
{
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
            return true;
    }
    return false;
}
} // namespace

HttpRequestReader::State HttpRequestReader::fail(int status, const char *reason)
{
    m_failureStatus = status;
    m_failureReason = reason;
    m_state = State::Failed;
    return m_state;
}

HttpRequestReader::State HttpRequestReader::feed(const QByteArray &bytes)
{
    if (m_state == State::Failed)
        return m_state;
    m_buffer.append(bytes);
    if (m_state == State::Complete)
        return m_state;
    // Without a new line end only a limit can be crossed: a client trickling
    // bytes must not cost a parse each.
    if (!bytes.contains('\n')) {
        const bool requestLineRead = m_buffer.contains('\n');
        // A method is a token: anything else (a TLS handshake sent to
        // http://) is refused now rather than after the request timeout.
        if (!requestLineRead && !methodPrefixValid(m_buffer))
            return fail(400, "Bad Request");
        if (!requestLineRead && m_buffer.size() > kMaxRequestLine)
            return fail(414, "URI Too Long");
        if (m_buffer.size() > kMaxRequestLine + kMaxHeaderBytes)
            return fail(431, "Request Header Fields Too Large");
        return m_state;
    }
    return parse();
}

HttpRequestReader::State HttpRequestReader::next()
{
    if (m_state != State::Complete)
        return m_state;
    m_buffer.remove(0, m_consumed);
    m_consumed = 0;
    m_request = {};
    m_state = State::Incomplete;
    return parse();
}

bool HttpRequestReader::parseRequestLine(const QByteArray &line)
{
    const QList<QByteArray> parts = line.split(' ');
    if (parts.size() != 3 || !isToken(parts[0]) || parts[1].isEmpty() || hasControl(parts[1]))
        return false;
    if (parts[2] == "HTTP/1.1")
        m_request.minorVersion = 1;
    else if (parts[2] == "HTTP/1.0")
        m_request.minorVersion = 0;
    else
        return false;
    m_request.method = parts[0];
    const qsizetype query = parts[1].indexOf('?');
    m_request.path = query < 0 ? parts[1] : parts[1].left(query);
    return true;
}

bool HttpRequestReader::parseHeaderLine(const QByteArray &line)
{
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return false;
    const QByteArray name = line.left(colon);
    const QByteArray value = line.mid(colon + 1).trimmed();
    if (!isToken(name) || hasControl(value))
        return false;
    m_request.headers.append({name.toLower(), value});
    return true;
}

HttpRequestReader::State HttpRequestReader::parse()
{
    // Lines end in CRLF; a bare LF is accepted too (RFC 9112 2.2).
    qsizetype start = 0;
    bool requestLineRead = false;
    // Parsed afresh from the request's first byte each time: requests are a
    // few hundred bytes, and this keeps no half-parsed state between feeds.
    m_request = {};
    while (true) {
        const qsizetype end = m_buffer.indexOf('\n', start);
        const qsizetype reach = end < 0 ? m_buffer.size() : end;
        if (!requestLineRead && reach - start > kMaxRequestLine)
            return fail(414, "URI Too Long");
        if (requestLineRead && reach > kMaxRequestLine + kMaxHeaderBytes)
            return fail(431, "Request Header Fields Too Large");
        if (end < 0)
            return m_state = State::Incomplete;
        QByteArray line = m_buffer.mid(start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        start = end + 1;
        if (!requestLineRead) {
            // Empty lines before a request are tolerated (RFC 9112 2.2).
            if (line.isEmpty()) {
                m_buffer.remove(0, start);
                start = 0;
                continue;
            }
            if (!parseRequestLine(line))
                return fail(400, "Bad Request");
            requestLineRead = true;
            continue;
        }
        if (line.isEmpty())
            break;
        if (m_request.headers.size() >= kMaxHeaders)
            return fail(431, "Request Header Fields Too Large");
        if (!parseHeaderLine(line))
            return fail(400, "Bad Request");
    }
    // A body would have to be read past; scrapers send none.
    const QByteArray length = m_request.header("content-length");
    if ((!length.isEmpty() && length != "0") || !m_request.header("transfer-encoding").isEmpty())
        return fail(400, "Bad Request");
    if (m_request.minorVersion == 1 && m_request.header("host").isEmpty())
        return fail(400, "Bad Request");
    m_consumed = start;
    return m_state = State::Complete;
}

} // namespace sockscope
