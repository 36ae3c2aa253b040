// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/output.h"

#include <cerrno>
#include <cstdio>
#include <unistd.h>

namespace sockscope::cli {

void printLines(const QStringList &lines)
{
    for (const QString &line : lines) {
        const QByteArray bytes = line.toUtf8();
        std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
        std::fputc('\n', stdout);
    }
    std::fflush(stdout);
}

StreamedOutput::StreamedOutput()
{
    m_buffer.reserve(kPiece + 4096);
}

void StreamedOutput::writeOut()
{
    const char *data = m_buffer.constData();
    qsizetype left = m_errno == 0 ? m_buffer.size() : 0;
    while (left > 0) {
        const ssize_t n = ::write(STDOUT_FILENO, data, static_cast<size_t>(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            m_errno = errno;
            break;
        }
        data += n;
        left -= n;
    }
    m_buffer.resize(0); // keeps the capacity
}

bool StreamedOutput::finish()
{
    std::fflush(stdout);
    writeOut();
    return m_errno == 0;
}

} // namespace sockscope::cli
