// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/exportercommand.h"

#include "cli/commandline.h"
#include "cli/listenaddress.h"
#include "cli/quitonsignals.h"
#include "format/ownertext.h"
#include "http/httpserver.h"
#include "metrics/scrapecache.h"
#include "metrics/socketmetrics.h"
#include "owners/owneddump.h"
#include "poller/poller.h"
#include "util/monotonic.h"
#include "util/quotedvalue.h"

#include <cerrno>
#include <cstdio>
#include <QCoreApplication>

namespace sockscope::cli {

namespace {
constexpr std::uint16_t kDefaultPort = 10150; // 9100-9999, Prometheus's range, is full
constexpr int kMaxPortsLimit = 10000;

struct ExporterOptions
{
    ListenAddress listen;
    int intervalMs = Poller::kDefaultIntervalMs;
    int maxPorts = SocketMetrics::kDefaultMaxPorts;
    bool trace = true;
};

// nullopt with *status set when the command must end (help, bad arguments).
std::optional<ExporterOptions> parseOptions(const QStringList &arguments, int *status)
{
    const QString command = QStringLiteral("exporter");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Serve TCP socket metrics per state and port for Prometheus at "
                       "http://ADDRESS:PORT/metrics (OpenMetrics when asked for), until "
                       "interrupted."));
    parser.addOption({QStringLiteral("listen"),
                      QStringLiteral("Listen on ADDRESS:PORT (default 127.0.0.1:%1; port 0: "
                                     "any free one, printed on start).")
                          .arg(kDefaultPort),
                      QStringLiteral("ADDR:PORT")});
    addIntervalOption(parser);
    parser.addOption({QStringLiteral("max-ports"),
                      QStringLiteral("At most N ports get their own port label; the rest are "
                                     "summed as port=\"other\" (1 to %1, default %2).")
                          .arg(kMaxPortsLimit)
                          .arg(SocketMetrics::kDefaultMaxPorts),
                      QStringLiteral("N")});
    addTraceOption(parser);
    bool helpShown = false;
    if (auto parsed = parseArguments(parser, arguments, &helpShown); !parsed) {
        *status = usageError(parsed.error().message, command);
        return std::nullopt;
    }
    if (helpShown) {
        *status = 0;
        return std::nullopt;
    }
    if (!parser.positionalArguments().isEmpty()) {
        *status = usageError(QStringLiteral("exporter takes no argument %1")
                                 .arg(quotedValue(parser.positionalArguments().first())),
                             command);
        return std::nullopt;
    }
    ExporterOptions options;
    options.listen = ListenAddress{QHostAddress(QHostAddress::LocalHost), kDefaultPort};
    if (parser.isSet(QStringLiteral("listen"))) {
        auto listen = parseListenAddress(parser.value(QStringLiteral("listen")));
        if (!listen) {
            *status = usageError(listen.error().message, command);
            return std::nullopt;
        }
        options.listen = *listen;
    }
    const Result<int> interval = intervalOption(parser);
    if (!interval) {
        *status = usageError(interval.error().message, command);
        return std::nullopt;
    }
    options.intervalMs = *interval;
    if (parser.isSet(QStringLiteral("max-ports"))) {
        auto maxPorts =
            parseBoundedInt(QStringLiteral("--max-ports"),
                            parser.value(QStringLiteral("max-ports")), 1, kMaxPortsLimit);
        if (!maxPorts) {
            *status = usageError(maxPorts.error().message, command);
            return std::nullopt;
        }
        options.maxPorts = *maxPorts;
    }
    options.trace = !parser.isSet(QStringLiteral("no-trace"));
    return options;
}

// "nginx (pid 4242)" for the listener holding the port, or what we can say.
QString portHolder(const ListenAddress &listen)
{
    DumpFilter filter;
    filter.port = listen.port;
    filter.stateMask = DumpFilter::stateBit(TcpState::Listen);
    auto sockets = dumpOwnedSockets(filter);
    if (!sockets)
        return QStringLiteral("another process");
    for (const OwnedSocket &owned : *sockets) {
        if (owned.socket.local.port != listen.port || owned.owner.owners.isEmpty())
            continue;
        const OwnerProcess &process = owned.owner.owners.first();
        return QStringLiteral("%1 (pid %2)").arg(programName(process.command)).arg(process.pid);
    }
    return QStringLiteral("another process (not named: run as root to see whose)");
}

int listenFailure(const ListenAddress &listen, const Error &error)
{
    if (error.errnum == EADDRINUSE) {
        std::fprintf(stderr, "sockscope: %s is in use by %s: choose another with --listen\n",
                     qPrintable(listen.text()), qPrintable(portHolder(listen)));
    } else if (error.errnum == EACCES) {
        std::fprintf(stderr,
                     "sockscope: cannot listen on %s: ports below 1024 need root or "
                     "CAP_NET_BIND_SERVICE: choose another with --listen\n",
                     qPrintable(listen.text()));
    } else if (error.errnum == EADDRNOTAVAIL) {
        std::fprintf(stderr,
                     "sockscope: cannot listen on %s: no interface of this machine has that "
                     "address: choose another with --listen\n",
                     qPrintable(listen.text()));
    } else {
        std::fprintf(stderr, "sockscope: cannot listen on %s: %s\n", qPrintable(listen.text()),
                     qPrintable(error.message));
    }
    return 1;
}

const char kIndexPage[] =
    "<!DOCTYPE html>\n<html><head><title>SockScope exporter</title></head>\n"
    "<body><h1>SockScope exporter</h1>\n"
    "<p>TCP sockets per state and port, accept queues, CLOSE_WAIT ages and TIME_WAIT "
    "figures for Prometheus: <a href=\"/metrics\">/metrics</a></p>\n</body></html>\n";

HttpResponse answer(const HttpRequest &request, const SocketMetrics &metrics, ScrapeCache &cache)
{
    if (request.path == "/metrics") {
        if (!metrics.ready()) {
            return HttpResponse{503,
                                "text/plain; charset=utf-8",
                                "sockscope: the first poll has not finished yet\n",
                                {{"Retry-After", "1"}}};
        }
        const ExpositionFormat format = negotiateFormat(request.header("accept"));
        return HttpResponse{200, contentType(format), cache.response(format, monotonicMs()), {}};
    }
    if (request.path == "/")
        return HttpResponse{200, "text/html; charset=utf-8", kIndexPage, {}};
    return HttpResponse{
        404, "text/plain; charset=utf-8", "Not Found: the metrics are at /metrics\n", {}};
}
} // namespace

int runExporter(const QStringList &arguments)
{
    int status = 0;
    const std::optional<ExporterOptions> options = parseOptions(arguments, &status);
    if (!options)
        return status;

    QCoreApplication *app = QCoreApplication::instance();
    quitOnSignals();
    SocketMetrics metrics(options->maxPorts);
    ScrapeCache cache(metrics, QCoreApplication::applicationVersion().toUtf8());
    HttpServer server([&](const HttpRequest &request) { return answer(request, metrics, cache); });
    if (auto listening = server.listen(options->listen.address, options->listen.port); !listening)
        return listenFailure(options->listen, listening.error());
    ListenAddress bound = options->listen;
    bound.port = server.port();
    std::fprintf(stderr, "sockscope: serving http://%s/metrics\n", qPrintable(bound.text()));

    Poller poller;
    poller.setIntervalMs(options->intervalMs);
    poller.setTracing(options->trace);
    QObject::connect(&poller, &Poller::batchReady, app, [&](const PollBatch &batch) {
        if (!metrics.ready()) {
            if (batch.stats.tracing)
                std::fprintf(stderr, "sockscope: transitions from the kernel's tracepoints\n");
            if (!batch.stats.traceNotice.isEmpty())
                std::fprintf(stderr, "sockscope: %s\n", qPrintable(batch.stats.traceNotice));
        }
        metrics.applyBatch(batch);
    });
    QString lastFailure; // a poll retried every interval says the same once
    QObject::connect(&poller, &Poller::pollFailed, app, [&](const QString &message) {
        if (message != lastFailure)
            std::fprintf(stderr, "sockscope: %s\n", qPrintable(message));
        lastFailure = message;
    });
    QObject::connect(&poller, &Poller::pollRecovered, app, [&] { lastFailure.clear(); });
    poller.start();
    QCoreApplication::exec();
    poller.stop();
    return 0;
}

} // namespace sockscope::cli
