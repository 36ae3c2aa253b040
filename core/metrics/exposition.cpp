// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/exposition.h"

#include <charconv>
#include <cmath>
#include <QList>

namespace sockscope {

ExpositionFormat negotiateFormat(const QByteArray &acceptHeader)
{
    for (const QByteArray &range : acceptHeader.split(',')) {
        const QList<QByteArray> parts = range.split(';');
        if (parts.first().trimmed().toLower() != "application/openmetrics-text")
            continue;
        bool refused = false;
        for (qsizetype i = 1; i < parts.size(); ++i) {
            const QByteArray parameter = parts[i].trimmed().toLower();
            if (parameter.startsWith("q=") && parameter.mid(2).toDouble() <= 0)
                refused = true;
        }
        if (!refused)
            return ExpositionFormat::OpenMetrics;
    }
    return ExpositionFormat::Prometheus;
}

QByteArray contentType(ExpositionFormat format)
{
    return format == ExpositionFormat::OpenMetrics
               ? QByteArrayLiteral("application/openmetrics-text; version=1.0.0; charset=utf-8")
               : QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8");
}

namespace {
// Both formats escape \ and newline in HELP text; label values also escape ".
void appendEscaped(QByteArray &out, const QByteArray &text, bool quote)
{
    for (const char c : text) {
        if (c == '\\')
            out.append("\\\\");
        else if (c == '\n')
            out.append("\\n");
        else if (quote && c == '"')
            out.append("\\\"");
        else
            out.append(c);
    }
}

// Integers without a fraction (counts are most samples); others in the
// shortest form that reads back exactly.
void appendNumber(QByteArray &out, double value)
{
    if (std::isnan(value)) {
        out.append("NaN");
        return;
    }
    if (std::isinf(value)) {
        out.append(value > 0 ? "+Inf" : "-Inf");
        return;
    }
    char buffer[32];
    const auto written =
        std::abs(value) < 1e15 && value == std::trunc(value)
            ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(value))
            : std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, written.ptr - buffer);
}

void appendSample(QByteArray &out, const QByteArray &name, const MetricSample &sample)
{
    out.append(name);
    if (!sample.labels.empty()) {
        out.append('{');
        bool first = true;
        for (const auto &[label, value] : sample.labels) {
            if (!first)
                out.append(',');
            first = false;
            out.append(label).append("=\"");
            appendEscaped(out, value, true);
            out.append('"');
        }
        out.append('}');
    }
    out.append(' ');
    appendNumber(out, sample.value);
    out.append('\n');
}
} // namespace

QByteArray renderExposition(const std::vector<MetricFamily> &families, ExpositionFormat format)
{
    const bool openMetrics = format == ExpositionFormat::OpenMetrics;
    QByteArray out;
    out.reserve(4096);
    for (const MetricFamily &family : families) {
        const bool counter = family.type == MetricType::Counter;
        // OpenMetrics names a counter family without its samples' "_total".
        const QByteArray familyName = openMetrics && counter && family.name.endsWith("_total")
                                          ? family.name.chopped(6)
                                          : family.name;
        out.append("# HELP ").append(familyName).append(' ');
        appendEscaped(out, family.help, openMetrics);
        out.append("\n# TYPE ").append(familyName).append(counter ? " counter\n" : " gauge\n");
        for (const MetricSample &sample : family.samples)
            appendSample(out, family.name, sample);
    }
    if (openMetrics)
        out.append("# EOF\n");
    return out;
}

} // namespace sockscope
