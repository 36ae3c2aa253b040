// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace sockscope {

// Collects libbpf's warnings on this thread while it lives, instead of letting
// libbpf print them to stderr, so a failure can carry them in its Error.
// libbpf has one process-wide print hook; it stays installed (silent outside a
// capture) because nothing else in SockScope wants libbpf's output.
class LibbpfLog
{
public:
    LibbpfLog();
    ~LibbpfLog();
    LibbpfLog(const LibbpfLog &) = delete;
    LibbpfLog &operator=(const LibbpfLog &) = delete;

    // The last few "libbpf: ..." lines, joined by "; " (empty when none): the
    // verifier's log itself is too long for a message.
    QString summary() const;

    void append(const QString &line);

private:
    QStringList m_lines;
    LibbpfLog *m_outer = nullptr;
};

} // namespace sockscope
