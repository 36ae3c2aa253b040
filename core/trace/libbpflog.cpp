// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace/libbpflog.h"

#include <bpf/libbpf.h>
#include <cstdarg>
#include <cstdio>

namespace sockscope {

namespace {
thread_local LibbpfLog *t_capture = nullptr;

int printHook(enum libbpf_print_level level, const char *format, va_list arguments)
{
    if (level == LIBBPF_DEBUG || !t_capture)
        return 0;
    char buffer[512];
    std::vsnprintf(buffer, sizeof buffer, format, arguments);
    t_capture->append(QString::fromLocal8Bit(buffer).trimmed());
    return 0;
}
} // namespace

LibbpfLog::LibbpfLog() : m_outer(t_capture)
{
    libbpf_set_print(printHook);
    t_capture = this;
}

LibbpfLog::~LibbpfLog()
{
    t_capture = m_outer;
}

void LibbpfLog::append(const QString &line)
{
    if (line.startsWith(QLatin1String("libbpf:")))
        m_lines.append(line);
}

QString LibbpfLog::summary() const
{
    constexpr int kKept = 3;
    return m_lines.mid(std::max<qsizetype>(0, m_lines.size() - kKept)).join(QLatin1String("; "));
}

} // namespace sockscope
