// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "metrics/exposition.h"

#include <array>
#include <cstdint>
#include <QByteArray>

namespace sockscope {

class SocketMetrics;

// The /metrics response, built from the metrics' last complete batch at most
// once per batch and format, and at most a second old (so ages move while
// nothing else does): a hundred scrapers at once cost one build. While
// tracing, every scrape's own connection brings a batch 30 ms later: a
// response younger than kMinAgeMs is served even so, or a storm of scrapers
// at 100,000 sockets would rebuild (20 ms) every 30 ms.
class ScrapeCache
{
public:
    static constexpr std::int64_t kMinAgeMs = 250;
    static constexpr std::int64_t kMaxAgeMs = 1000;

    ScrapeCache(const SocketMetrics &metrics, QByteArray version)
        : m_metrics(metrics), m_version(std::move(version))
    {
    }

    const QByteArray &response(ExpositionFormat format, std::int64_t nowMs);
    // How many responses were built (not served from the cache).
    std::uint64_t builds() const { return m_builds; }

private:
    struct Entry
    {
        QByteArray text;
        std::uint64_t generation = 0;
        std::int64_t builtMs = -1;
    };
    const SocketMetrics &m_metrics;
    QByteArray m_version;
    std::array<Entry, 2> m_entries; // by format
    double m_lastBuildSeconds = 0;
    std::uint64_t m_builds = 0;
};

} // namespace sockscope
