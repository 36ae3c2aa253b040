// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QStringList>

namespace sockscope::cli {

// Writes each line and a newline to stdout as UTF-8, then flushes: answers go
// to whoever reads them as they come (a console driven by hand, `| grep`),
// never sitting in a buffer.
void printLines(const QStringList &lines);

// Output written in pieces while it is produced (`dump` of 100,000 sockets):
// append to buffer(), call written() after each record; the buffer is reused,
// so memory stays at one piece. Writes go straight to descriptor 1.
class StreamedOutput
{
public:
    StreamedOutput();
    QByteArray &buffer() { return m_buffer; }
    // Writes the buffer out once it holds a piece's worth.
    void written()
    {
        if (m_buffer.size() >= kPiece)
            writeOut();
    }
    // Writes the rest. False when stdout could not be written (its errno is
    // in error()); a closed pipe ends the process with SIGPIPE first, as for ss.
    bool finish();
    int error() const { return m_errno; }

private:
    static constexpr qsizetype kPiece = 64 * 1024;
    void writeOut();
    QByteArray m_buffer;
    int m_errno = 0;
};

} // namespace sockscope::cli
