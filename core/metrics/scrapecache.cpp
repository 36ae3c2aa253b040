// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/scrapecache.h"

#include "metrics/socketmetrics.h"

#include <QElapsedTimer>

namespace sockscope {

const QByteArray &ScrapeCache::response(ExpositionFormat format, std::int64_t nowMs)
{
    Entry &entry = m_entries[static_cast<std::size_t>(format)];
    const std::int64_t age = nowMs - entry.builtMs;
    if (entry.builtMs >= 0 &&
        (age < kMinAgeMs || (entry.generation == m_metrics.generation() && age < kMaxAgeMs)))
        return entry.text;
    QElapsedTimer timer;
    timer.start();
    std::vector<MetricFamily> families = m_metrics.families(nowMs);
    // The build before this one: this one's own time is not known until it is written.
    families.push_back(MetricFamily{
        "sockscope_scrape_duration_seconds",
        "How long building the previous /metrics response took (responses are cached per "
        "poll batch for up to a second).",
        MetricType::Gauge,
        {MetricSample{{}, m_lastBuildSeconds}}});
    families.push_back(MetricFamily{"sockscope_build_info",
                                    "Always 1; the version of the sockscope exporter.",
                                    MetricType::Gauge,
                                    {MetricSample{{{"version", m_version}}, 1}}});
    entry.text = renderExposition(families, format);
    entry.generation = m_metrics.generation();
    entry.builtMs = nowMs;
    m_lastBuildSeconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    ++m_builds;
    return entry.text;
}

} // namespace sockscope
