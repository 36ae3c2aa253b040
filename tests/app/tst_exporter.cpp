// SPDX-License-Identifier: GPL-3.0-or-later
// What Prometheus reads from the real `sockscope exporter`: sockets made on
// loopback in a private network namespace, counted per state and port.
#include "exporterprocess.h"
#include "loopback.h"
#include "netns.h"
#include "netns/networknamespace.h"
#include "processrun.h"
#include "trace/tracesource.h"

#include <algorithm>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <QStandardPaths>
#include <QTest>
#include <sys/socket.h>
#include <vector>

using namespace sockscope::test;
using sockscope::UniqueFd;

namespace {
QByteArray series(const char *name, const QByteArray &labels)
{
    return QByteArray(name) + '{' + labels + '}';
}

QByteArray portLabel(std::uint16_t port)
{
    return "port=\"" + QByteArray::number(port) + '"';
}

QByteArray socketsSeries(const char *state, std::uint16_t port)
{
    return series("sockscope_tcp_sockets",
                  "state=\"" + QByteArray(state) + "\"," + portLabel(port));
}

// Connections on `listener`, both ends held.
std::vector<ConnectedPair> connectPairs(const UniqueFd &listener, int count)
{
    std::vector<ConnectedPair> pairs;
    for (int i = 0; i < count; ++i)
        pairs.push_back(connectPair(listener.get(), localPort(listener.get())));
    return pairs;
}

void closeClients(std::vector<ConnectedPair> &pairs)
{
    for (ConnectedPair &pair : pairs)
        pair.client.reset();
}
} // namespace

class TestExporter : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<ExporterProcess> m_exporter;

private Q_SLOTS:
    void initTestCase()
    {
        m_exporter = std::make_unique<ExporterProcess>(
            QStringList{QStringLiteral("--interval"), QStringLiteral("100")});
        QVERIFY2(m_exporter->waitServing(), m_exporter->stderrText().constData());
        // Serving comes before the first poll, which loads the trace program
        // first (twice where the timewait probe is refused): under TSan on a
        // loaded machine that took over 10 s. The tests below wait from there.
        QTRY_VERIFY2_WITH_TIMEOUT(m_exporter->value("sockscope_polls_total").has_value(),
                                  m_exporter->stderrText().constData(), 60000);
    }

    // First: TIME_WAIT counts are machine-wide, and later tests leave some.
    void timeWaitCountedAgainstOneRemote()
    {
        SOCKSCOPE_REQUIRE_NETNS();
        UniqueFd listener = listenOn();
        const std::uint16_t port = localPort(listener.get());
        std::vector<ConnectedPair> pairs = connectPairs(listener, 5);
        // The clients close first, so theirs (ephemeral local ports, one
        // remote) are the TIME_WAIT sockets.
        closeClients(pairs);
        for (ConnectedPair &pair : pairs)
            pair.server.reset();
        QCOMPARE(m_exporter->waitForValue("sockscope_tcp_time_wait_sockets", 5), 5.0);
        QCOMPARE(m_exporter->waitForValue("sockscope_tcp_time_wait_max_per_remote", 5), 5.0);
        QCOMPARE(m_exporter->value(
                     series("sockscope_tcp_sockets", "state=\"TIME_WAIT\",port=\"other\"")),
                 5.0);
        QVERIFY(!m_exporter->value(socketsSeries("TIME_WAIT", port)));
        const auto ephemeral = m_exporter->value("sockscope_ephemeral_ports");
        QVERIFY(ephemeral && *ephemeral > 1000);
    }

    void closeWaitCountedPerPort()
    {
        UniqueFd listener = listenOn();
        const std::uint16_t port = localPort(listener.get());
        std::vector<ConnectedPair> pairs = connectPairs(listener, 3);
        // The peers close; the server side never does: a CLOSE_WAIT leak.
        closeClients(pairs);
        QCOMPARE(m_exporter->waitForValue(socketsSeries("CLOSE_WAIT", port), 3), 3.0);
        QCOMPARE(m_exporter->value(socketsSeries("LISTEN", port)), 1.0);
        // Their age grows while nobody closes them.
        const QByteArray age =
            series("sockscope_tcp_close_wait_oldest_age_seconds", portLabel(port));
        QElapsedTimer waited;
        waited.start();
        std::optional<double> seconds;
        while (waited.elapsed() < 5000 && !((seconds = m_exporter->value(age)) && *seconds >= 1.0))
            QTest::qWait(100);
        QVERIFY2(seconds && *seconds >= 1.0 && *seconds < 30,
                 qPrintable(QString::number(seconds.value_or(-1))));
        pairs[0].server.reset();
        QCOMPARE(m_exporter->waitForValue(socketsSeries("CLOSE_WAIT", port), 2), 2.0);
        pairs.clear();
        QTRY_VERIFY_WITH_TIMEOUT(!m_exporter->value(age), 10000);
    }

    // Linux queues up to backlog + 1 connections before it drops SYNs.
    void acceptQueueOfAFullBacklog()
    {
        UniqueFd listener = listenOn();
        QCOMPARE(::listen(listener.get(), 2), 0);
        const std::uint16_t port = localPort(listener.get());
        std::vector<UniqueFd> clients;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(connectTo(port));
            QVERIFY(clients.back().valid());
        }
        QCOMPARE(m_exporter->waitForValue(
                     series("sockscope_tcp_accept_queue_length", portLabel(port)), 3),
                 3.0);
        QCOMPARE(m_exporter->value(series("sockscope_tcp_accept_queue_backlog", portLabel(port))),
                 2.0);
        UniqueFd accepted = acceptOne(listener.get());
        QVERIFY(accepted.valid());
        QCOMPARE(m_exporter->waitForValue(
                     series("sockscope_tcp_accept_queue_length", portLabel(port)), 2),
                 2.0);
    }

    void portCapSumsTheRestAsOther()
    {
        ExporterProcess capped({QStringLiteral("--max-ports"), QStringLiteral("3"),
                                QStringLiteral("--interval"), QStringLiteral("100")});
        QVERIFY2(capped.waitServing(), capped.stderrText().constData());
        std::vector<UniqueFd> listeners;
        for (int i = 0; i < 6; ++i)
            listeners.push_back(listenOn());
        QCOMPARE(capped.waitForValue("sockscope_port_series_capped", 1), 1.0);
        QCOMPARE(m_exporter->value("sockscope_port_series_capped"), 0.0);
        const HttpReply reply = capped.scrape();
        QSet<QByteArray> labelled;
        double listening = 0;
        const QHash<QByteArray, double> samples = parseSamples(reply.body);
        for (auto it = samples.cbegin(); it != samples.cend(); ++it) {
            if (!it.key().startsWith("sockscope_tcp_sockets{"))
                continue;
            labelled.insert(it.key().mid(it.key().indexOf("port=")));
            if (it.key().contains("state=\"LISTEN\""))
                listening += it.value();
        }
        QVERIFY2(labelled.contains("port=\"other\"}"), reply.body.constData());
        QCOMPARE(labelled.size(), 3 + 1);
        // Every listener counted, the 3 labelled ones and the rest in "other".
        QVERIFY2(listening >= 6 + 2, qPrintable(QString::number(listening)));
        QVERIFY(samples.value(series("sockscope_tcp_sockets", "state=\"LISTEN\",port=\"other\"")) >=
                3);
    }

    // A fresh exporter: its counters start at zero, and only this test closes
    // connections from CLOSE_WAIT (scrapes end with a reset).
    void transitionsCountedFromTheTrace()
    {
        ExporterProcess traced({QStringLiteral("--interval"), QStringLiteral("100")});
        QVERIFY2(traced.waitServing(), traced.stderrText().constData());
        QTRY_VERIFY_WITH_TIMEOUT(traced.value("sockscope_polls_total").value_or(0) >= 1, 10000);
        if (traced.value("sockscope_tracing") != 1.0)
            QSKIP(qPrintable("the exporter could not trace: " +
                             traced.stderrText().trimmed().split('\n').last()));
        const double resetsBefore =
            traced.value(series("sockscope_tcp_resets_total", "direction=\"sent\"")).value_or(0);
        UniqueFd listener = listenOn();
        std::vector<ConnectedPair> pairs = connectPairs(listener, 4);
        closeClients(pairs);
        for (ConnectedPair &pair : pairs)
            pair.server.reset();
        QCOMPARE(traced.waitForValue(series("sockscope_tcp_transitions_total",
                                            "from=\"CLOSE_WAIT\",to=\"LAST_ACK\""),
                                     4),
                 4.0);
        // Each client saw its FIN acknowledged.
        QCOMPARE(traced.waitForValue(series("sockscope_tcp_transitions_total",
                                            "from=\"FIN_WAIT1\",to=\"FIN_WAIT2\""),
                                     4),
                 4.0);
        // Its FIN_WAIT2 -> TIME_WAIT follows the server's FIN. When the FIN
        // comes after the ACK (the server's delayed ACK fired first), the
        // orphaned client is already a timewait socket and only the probe on
        // tcp_timewait_state_process sees the change; where the kernel
        // refuses that probe (EPERM on 6.18 with the namespace filter) it is
        // invisible, and not counted.
        const QString probeRefused = [] {
            // As the exporter's poller asks: filtered to its network namespace.
            sockscope::TraceOptions options;
            options.networkNamespace =
                static_cast<std::uint32_t>(sockscope::currentNetworkNamespaceInode());
            const auto probe = sockscope::TraceSource::open(options);
            if (!probe)
                return probe.error().message;
            return (*probe)->seesTimewaitFin() ? QString() : (*probe)->timewaitProbeFailure();
        }();
        if (!probeRefused.isEmpty()) {
            qInfo("FIN_WAIT2 -> TIME_WAIT after a late FIN not checked: %s",
                  qPrintable(probeRefused));
            abortiveCloseSendsAReset(traced, listener, resetsBefore);
            return;
        }
        // With the probe every one comes, perhaps a batch later; an event the
        // kernel skipped is counted as lost.
        const auto timeWaitsAndLost = [&] {
            const auto counted = [&](const char *name, const char *labels) {
                return traced.value(series(name, labels)).value_or(0);
            };
            return counted("sockscope_tcp_transitions_total",
                           "from=\"FIN_WAIT2\",to=\"TIME_WAIT\"") +
                   counted("sockscope_trace_dropped_events_total", "reason=\"buffer_full\"") +
                   counted("sockscope_trace_dropped_events_total", "reason=\"skipped\"");
        };
        // On failure: every transition counted, and the losses, to tell which way they went.
        const auto counts = [&] {
            QByteArrayList lines;
            const QHash<QByteArray, double> samples = parseSamples(traced.scrape().body);
            for (auto it = samples.cbegin(); it != samples.cend(); ++it) {
                if (it.key().startsWith("sockscope_tcp_transitions_total") ||
                    it.key().startsWith("sockscope_trace_dropped"))
                    lines << it.key() + ' ' + QByteArray::number(it.value());
            }
            std::sort(lines.begin(), lines.end());
            return QString::number(timeWaitsAndLost()) + QLatin1Char('\n') +
                   QString::fromUtf8(lines.join('\n'));
        };
        QTRY_VERIFY2_WITH_TIMEOUT(timeWaitsAndLost() >= 4.0, qPrintable(counts()), 10000);
        abortiveCloseSendsAReset(traced, listener, resetsBefore);
    }

    // An abortive close sends a reset, counted from the trace.
    static void abortiveCloseSendsAReset(ExporterProcess &traced, const UniqueFd &listener,
                                         double resetsBefore)
    {
        ConnectedPair aborted = connectPair(listener.get(), localPort(listener.get()));
        const linger abort{1, 0};
        ::setsockopt(aborted.client.get(), SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
        aborted.client.reset();
        QTRY_VERIFY_WITH_TIMEOUT(
            traced.value(series("sockscope_tcp_resets_total", "direction=\"sent\"")).value_or(0) >
                resetsBefore,
            10000);
    }

    void withoutTracingTheCountersSayNothing()
    {
        ExporterProcess polled(
            {QStringLiteral("--no-trace"), QStringLiteral("--interval"), QStringLiteral("100")});
        QVERIFY2(polled.waitServing(), polled.stderrText().constData());
        QCOMPARE(polled.waitForValue("sockscope_tracing", 0), 0.0);
        const HttpReply reply = polled.scrape();
        QVERIFY(reply.body.contains("# TYPE sockscope_tcp_transitions_total counter\n"));
        QVERIFY(!reply.body.contains("sockscope_tcp_transitions_total{"));
    }

    void bothFormatsParse()
    {
        // Something in every per-port family.
        UniqueFd listener = listenOn();
        std::vector<ConnectedPair> pairs = connectPairs(listener, 2);
        closeClients(pairs);
        QCOMPARE(
            m_exporter->waitForValue(socketsSeries("CLOSE_WAIT", localPort(listener.get())), 2),
            2.0);
        const HttpReply text = m_exporter->scrape();
        QCOMPARE(text.header("content-type"),
                 QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        const HttpReply open = m_exporter->scrape(
            "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        QCOMPARE(open.header("content-type"),
                 QByteArray("application/openmetrics-text; version=1.0.0; charset=utf-8"));
        QVERIFY(open.body.endsWith("# EOF\n"));
        QVERIFY(open.body.contains("# TYPE sockscope_tcp_resets counter\n"));
        // Every family has its HELP and TYPE.
        for (const QByteArray &line : text.body.split('\n')) {
            if (line.startsWith("# TYPE "))
                QVERIFY2(text.body.contains("# HELP " + line.split(' ').value(2) + ' '),
                         line.constData());
        }

        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        if (promtool.isEmpty())
            QSKIP("promtool is not installed (Debian package prometheus): formats not checked");
        QProcess lint;
        lint.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        lint.write(text.body);
        lint.closeWriteChannel();
        ProcessRun textRun = finishProcess(lint, 15000);
        QVERIFY2(textRun.status == 0, textRun.out + textRun.err);
        // promtool reads the text format: OpenMetrics parses, and what its
        // linter says is only that a counter's samples ("_total") are not
        // named as their family is in the text format.
        lint.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        lint.write(open.body);
        lint.closeWriteChannel();
        ProcessRun openRun = finishProcess(lint, 15000);
        QVERIFY2(openRun.status == 0 || openRun.status == 3, openRun.out + openRun.err);
        for (const QByteArray &problem : (openRun.out + openRun.err).trimmed().split('\n')) {
            if (problem.isEmpty())
                continue;
            const QByteArray family = problem.left(problem.indexOf(' '));
            QVERIFY2(family.endsWith("_total") && problem.endsWith(" no help text") &&
                         open.body.contains("# TYPE " + family.chopped(6) + " counter\n"),
                     problem.constData());
        }
        // The strict check of OpenMetrics: the reference client's parser.
        const ProcessRun parsed = runOpenMetricsParser(open.body);
        if (parsed.status == 77)
            QSKIP("python3-prometheus-client is not installed: OpenMetrics not parsed strictly");
        QVERIFY2(parsed.status == 0, parsed.out + parsed.err);
    }

    void indexPageAndUnknownPaths()
    {
        const HttpReply index = httpGet(m_exporter->port(), "/");
        QCOMPARE(index.status, 200);
        QVERIFY(index.body.contains("href=\"/metrics\""));
        QCOMPARE(httpGet(m_exporter->port(), "/metrics/x").status, 404);
        QCOMPARE(httpGet(m_exporter->port(), "/metrics?name=x").status, 200);
        const HttpReply post = httpExchange(
            m_exporter->port(), "POST /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        QCOMPARE(post.status, 405);
        QCOMPARE(post.header("allow"), QByteArray("GET, HEAD"));
    }

private:
    static ProcessRun runOpenMetricsParser(const QByteArray &text)
    {
        QProcess python;
        // Debian's module, not whatever python3 comes first on PATH.
        python.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral("-c"),
                      QStringLiteral("import sys\n"
                                     "try:\n"
                                     "    from prometheus_client.openmetrics.parser import "
                                     "text_string_to_metric_families as parse\n"
                                     "except ImportError:\n"
                                     "    sys.exit(77)\n"
                                     "families = list(parse(sys.stdin.read()))\n"
                                     "print(len(families), 'families')\n")});
        python.write(text);
        python.closeWriteChannel();
        ProcessRun run = finishProcess(python, 15000);
        if (run.status == -2 ||
            (run.status < 0 && !QFile::exists(QStringLiteral("/usr/bin/python3"))))
            run.status = 77;
        return run;
    }
};

SOCKSCOPE_TEST_MAIN_NETNS(TestExporter, QCoreApplication)

#include "tst_exporter.moc"
