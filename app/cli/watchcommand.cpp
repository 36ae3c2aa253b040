// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/watchcommand.h"

#include "cli/commandline.h"
#include "cli/netnsoption.h"
#include "cli/quitonsignals.h"
#include "cli/sshoptions.h"
#include "format/socketjson.h"
#include "format/sockettext.h"
#include "poller/poller.h"
#include "poller/traceloss.h"
#include "remote/remotesource.h"

#include <cstdio>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QTimer>
#include <utility>

namespace sockscope::cli {

namespace {
struct WatchOptions
{
    bool json = false;
    bool initial = false;
};

void printBatch(const PollBatch &batch, const WatchOptions &options, std::int64_t originMs,
                const DumpFilter *filter = nullptr)
{
    for (const SocketEvent &event : batch.events) {
        if (event.initial && !options.initial)
            continue;
        if (filter && !filter->matches(event.connection.socket))
            continue;
        if (options.json) {
            const QByteArray line =
                QJsonDocument(eventToJson(event)).toJson(QJsonDocument::Compact);
            std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stdout);
            std::fputc('\n', stdout);
        } else {
            std::printf("%s\n", qPrintable(eventLine(event, originMs)));
        }
    }
    // Line-buffered output so `watch | grep` and tests see events as they happen.
    std::fflush(stdout);
}

void reportSource(const PollStats &stats, const NetworkNamespace &ns = {})
{
    if (ns.chosen())
        std::fprintf(stderr, "sockscope: network namespace %s (net:[%llu])\n",
                     qPrintable(ns.spec()), static_cast<unsigned long long>(ns.inode()));
    if (stats.tracing)
        std::fprintf(stderr, "sockscope: tracing every transition (kernel tracepoints)\n");
    if (!stats.traceNotice.isEmpty())
        std::fprintf(stderr, "sockscope: %s\n", qPrintable(stats.traceNotice));
}

// The same over ssh: the server's agent (or its ss) filtered here, where a
// dropped connection is retried and said on stderr.
int watchRemote(const SshTarget &target, const QCommandLineParser &parser,
                const WatchOptions &options, const DumpFilter &filter, int intervalMs,
                int durationMs)
{
    RemoteSource source(target);
    source.setIntervalMs(intervalMs);
    source.setTracing(!parser.isSet(QStringLiteral("no-trace")));
    std::int64_t originMs = -1;
    bool timing = false; // from the first connection, not each reconnect
    if (durationMs > 0)
        QObject::connect(&source, &RemoteSource::connected, QCoreApplication::instance(), [&] {
            if (std::exchange(timing, true))
                return;
            QTimer::singleShot(durationMs, QCoreApplication::instance(), &QCoreApplication::quit);
        });
    return runRemote(
        source,
        [&](const PollBatch &batch) {
            if (originMs < 0) {
                originMs = batch.timeMs;
                reportSource(batch.stats);
            }
            printBatch(batch, options, originMs, &filter);
            return true;
        },
        installAgentRequested(parser));
}

} // namespace

int runWatch(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Stream socket events (appeared, state changes, resets, gone) as they "
                       "happen: every transition through the kernel's tracepoints when "
                       "allowed, otherwise by polling."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("One JSON object per line.")});
    addIntervalOption(parser);
    parser.addOption({QStringLiteral("initial"),
                      QStringLiteral("Also print the sockets that exist when watching starts.")});
    parser.addOption({QStringLiteral("duration"),
                      QStringLiteral("Stop after MS milliseconds (from the first poll)."),
                      QStringLiteral("MS")});
    addTraceOption(parser);
    addFilterOptions(parser);
    addNetnsOption(parser);
    addSshOptions(parser);
    FilterCommand parsed = parseFilterCommand(parser, arguments, QStringLiteral("watch"));
    if (parsed.exitNow)
        return *parsed.exitNow;
    auto ns = netnsFromOptions(parser);
    if (!ns)
        return usageError(ns.error().message, QStringLiteral("watch"));
    DumpFilter &filter = parsed.filter;
    const Result<int> interval = intervalOption(parser);
    if (!interval)
        return usageError(interval.error().message, QStringLiteral("watch"));
    const int intervalMs = *interval;
    int durationMs = 0;
    if (parser.isSet(QStringLiteral("duration"))) {
        auto duration =
            parseBoundedInt(QStringLiteral("duration"), parser.value(QStringLiteral("duration")), 1,
                            24 * 3600 * 1000);
        if (!duration)
            return usageError(duration.error().message, QStringLiteral("watch"));
        durationMs = *duration;
    }
    const WatchOptions options{parser.isSet(QStringLiteral("json")),
                               parser.isSet(QStringLiteral("initial"))};

    const auto ssh = sshTargetFromOptions(parser);
    if (!ssh)
        return usageError(ssh.error().message, QStringLiteral("watch"));
    if (*ssh) {
        if (ns->chosen())
            return usageError(QStringLiteral("--netns and --ssh do not go together: the namespace "
                                             "would be the server's (not supported yet)"),
                              QStringLiteral("watch"));
        return watchRemote(**ssh, parser, options, filter, intervalMs, durationMs);
    }

    QCoreApplication *app = QCoreApplication::instance();
    quitOnSignals();
    Poller poller(filter);
    poller.setIntervalMs(intervalMs);
    poller.setTracing(!parser.isSet(QStringLiteral("no-trace")));
    poller.setNetworkNamespace(*ns);
    std::int64_t originMs = -1;
    PollStats reported; // the losses already told
    int status = 0;
    // --duration counts from the first poll's result: loading the trace program
    // can take longer than a short duration, which must not end the watch before
    // it printed anything (or said why it could not).
    bool durationStarted = false;
    const auto startDuration = [&] {
        if (durationMs > 0 && !durationStarted)
            QTimer::singleShot(durationMs, app, &QCoreApplication::quit);
        durationStarted = true;
    };
    QObject::connect(&poller, &Poller::batchReady, app, [&](const PollBatch &batch) {
        startDuration();
        if (originMs < 0) {
            originMs = batch.timeMs;
            // On stderr, so JSON on stdout stays one object per line.
            reportSource(batch.stats, *ns);
        }
        printBatch(batch, options, originMs);
        if (lostTraceEvents(batch.stats) > lostTraceEvents(reported)) {
            const QString causes =
                traceLossCauses(batch.stats.traceDrops - reported.traceDrops,
                                batch.stats.traceSkipped - reported.traceSkipped);
            std::fprintf(stderr, "sockscope: transitions lost: %s\n", qPrintable(causes));
            reported = batch.stats;
        }
    });
    QString lastFailure; // a poll retried every interval says the same once
    QObject::connect(&poller, &Poller::pollFailed, app, [&](const QString &message) {
        if (message != lastFailure)
            std::fprintf(stderr, "sockscope: %s\n", qPrintable(message));
        lastFailure = message;
        status = 1;
        startDuration();
    });
    poller.start();
    QCoreApplication::exec();
    poller.stop();
    return status;
}

} // namespace sockscope::cli
