// SPDX-License-Identifier: GPL-3.0-or-later
// The cost of one Prometheus scrape of `sockscope exporter` at 100,000 sockets,
// beside `ss -tan | wc -l` on the same sockets (this machine is shared and
// noisy: compare the ratios). In a private network namespace: a realistic
// population (tests/support/population.h), the real exporter binary, then
//  1. a built scrape: GET /metrics a second after the last (the response cache
//     has expired), wall time at the client, and the exporter's own
//     sockscope_scrape_duration_seconds for building it (read from the next);
//  2. a cached scrape: GET /metrics again at once;
//  3. the response's size, the exporter's RSS, and its CPU over 10 idle seconds;
//  4. `ss -tan | wc -l` through system(), wall time.
// Medians of `runs`.
//
//   bench_exporter [sockets=100000] [runs=5]
#include "exporterprocess.h"
#include "netns.h"
#include "population.h"
#include "processmeasure.h"
#include "socketholder.h"

#include <cstdio>
#include <cstdlib>
#include <QCoreApplication>
#include <vector>

using namespace sockscope::test;

namespace {
double msSince(std::int64_t startNs)
{
    return static_cast<double>(nowNs() - startNs) / 1e6;
}

double countedSockets(const QByteArray &exposition)
{
    double sum = 0;
    const QHash<QByteArray, double> samples = parseSamples(exposition);
    for (auto it = samples.cbegin(); it != samples.cend(); ++it) {
        if (it.key().startsWith("sockscope_tcp_sockets{"))
            sum += it.value();
    }
    return sum;
}
} // namespace

int main(int argc, char **argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const int sockets = argc > 1 ? std::atoi(argv[1]) : 100000;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    if (sockets < 10 || sockets > 150000 || runs < 1 || runs > 50) {
        std::fprintf(stderr, "usage: %s [sockets (10..150000)] [runs (1..50)]\n", argv[0]);
        return 2;
    }
    QString reason;
    if (!enterPrivateNetwork(&reason)) {
        std::fprintf(stderr, "needs a private network namespace (root): %s\n", qPrintable(reason));
        return 1;
    }
    QCoreApplication app(argc, argv);
    const std::int64_t setup = nowNs();
    Population population(realisticMix(sockets));
    if (std::string why; !population.waitReady(&why)) {
        std::fprintf(stderr, "%s\n", why.c_str());
        return 1;
    }
    std::printf("bench_exporter: %d sockets set up in %.1f s; binary %s\n",
                population.mix().total(), msSince(setup) / 1000, SOCKSCOPE_BINARY);

    ExporterProcess exporter;
    if (!exporter.waitServing()) {
        std::fprintf(stderr, "the exporter did not start: %s\n", exporter.stderrText().constData());
        return 1;
    }
    const std::int64_t firstPoll = nowNs();
    HttpReply reply;
    while (countedSockets((reply = exporter.scrape()).body) < 0.95 * population.mix().total()) {
        if (msSince(firstPoll) > 120000) {
            std::fprintf(stderr, "the exporter never counted the sockets\n");
            return 1;
        }
        sleepMs(200);
    }
    std::printf("first complete scrape %.0f ms after start; %s\n", msSince(firstPoll),
                exporter.value("sockscope_tracing") == 1.0 ? "tracing" : "polling");

    std::vector<double> built, builtByExporter, cached, sizes, ss;
    for (int run = 0; run < runs + 1; ++run) {
        sleepMs(1100); // past the response cache's second
        std::int64_t start = nowNs();
        reply = exporter.scrape();
        const double builtMs = msSince(start);
        const double previousBuild =
            parseSamples(reply.body).value("sockscope_scrape_duration_seconds", -1) * 1000;
        start = nowNs();
        const HttpReply again = exporter.scrape();
        const double cachedMs = msSince(start);
        if (reply.status != 200 || again.status != 200) {
            std::fprintf(stderr, "a scrape failed\n");
            return 1;
        }
        if (run == 0)
            continue; // warm-up; its build time is read in the next run
        built.push_back(builtMs);
        builtByExporter.push_back(previousBuild);
        cached.push_back(cachedMs);
        sizes.push_back(static_cast<double>(reply.body.size()));
        start = nowNs();
        if (std::system("ss -tan | wc -l > /dev/null") != 0) {
            std::fprintf(stderr, "ss -tan failed\n");
            return 1;
        }
        ss.push_back(msSince(start));
    }
    const long rssKiB = procStatusKiB(static_cast<pid_t>(exporter.pid()), "VmRSS");
    const std::int64_t cpuStart = procCpuNs(static_cast<pid_t>(exporter.pid()));
    sleepMs(10000);
    const double idleCpuPercent =
        static_cast<double>(procCpuNs(static_cast<pid_t>(exporter.pid())) - cpuStart) / 1e8;

    const double ssMs = median(ss);
    std::printf("| what | median | / `ss -tan \\| wc -l` |\n|---|---|---|\n");
    std::printf("| `ss -tan \\| wc -l` | %.1f ms | 1 |\n", ssMs);
    std::printf("| scrape, built (client wall) | %.1f ms | %.2fx |\n", median(built),
                median(built) / ssMs);
    std::printf("| scrape, built (exporter's own scrape_duration) | %.1f ms | %.2fx |\n",
                median(builtByExporter), median(builtByExporter) / ssMs);
    std::printf("| scrape, cached (client wall) | %.2f ms | %.3fx |\n", median(cached),
                median(cached) / ssMs);
    std::printf("| response size | %.0f bytes | |\n", median(sizes));
    std::printf("| exporter RSS | %.1f MiB | |\n", static_cast<double>(rssKiB) / 1024);
    std::printf("| exporter idle CPU (10 s) | %.1f %% of a core | |\n", idleCpuPercent);
    return 0;
}
