// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <utility>
#include <vector>

namespace sockscope {

// Metric families as Prometheus scrapes them: the one place that knows the
// exposition formats (Prometheus text 0.0.4 and OpenMetrics 1.0.0 text),
// their escaping, their number syntax and their content types.

enum class MetricType
{
    Gauge,
    Counter // the family's name ends in "_total"
};

struct MetricSample
{
    std::vector<std::pair<QByteArray, QByteArray>> labels; // name, value (UTF-8)
    double value = 0;
};

struct MetricFamily
{
    QByteArray name;
    QByteArray help;
    MetricType type = MetricType::Gauge;
    std::vector<MetricSample> samples;
};

enum class ExpositionFormat
{
    Prometheus,
    OpenMetrics
};

// OpenMetrics when the scraper's Accept header names application/openmetrics-text
// (with a non-zero q), the Prometheus text format otherwise.
ExpositionFormat negotiateFormat(const QByteArray &acceptHeader);
QByteArray contentType(ExpositionFormat format);

// Every family gets its # HELP and # TYPE lines, samples or not.
QByteArray renderExposition(const std::vector<MetricFamily> &families, ExpositionFormat format);

} // namespace sockscope
