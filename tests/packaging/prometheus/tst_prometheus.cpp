// SPDX-License-Identifier: GPL-3.0-or-later
// A real Prometheus scraping a real `sockscope exporter`, both started here in a
// private network namespace: a port's CLOSE_WAIT sockets reach Prometheus's
// query API with the right count, and the leak rule of
// packaging/prometheus/sockscope-rules.yml fires in its rule evaluation.
#include "exporterprocess.h"
#include "loopback.h"
#include "netns.h"
#include "prometheusrun.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QtTest>
#include <vector>

using namespace sockscope;
using namespace sockscope::test;

namespace {
constexpr int kDeadlineMs = 25000;
const QString kLeakAlert = QStringLiteral("SockscopeCloseWaitLeak");

// The installed rules with the leak alert's `for: 5m` cut to 2 s, so it fires
// within the test; everything else as shipped. Empty when the rule moved.
QByteArray rulesWithShortLeakFor()
{
    QFile file(QStringLiteral(RULES_FILE));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray rules = file.readAll();
    const qsizetype alert = rules.indexOf("alert: " + kLeakAlert.toUtf8());
    const qsizetype holdFor = rules.indexOf("for: 5m", alert);
    if (alert < 0 || holdFor < 0 || rules.indexOf("- alert:", alert + 1) < holdFor)
        return {};
    return rules.replace(holdFor, 7, "for: 2s");
}

// Server-side CLOSE_WAIT sockets on the listener's port: the test accepts and
// keeps each connection, the client closes its end.
struct CloseWaitLeak
{
    UniqueFd listener = listenOn();
    std::uint16_t port = localPort(listener.get());
    std::vector<UniqueFd> leaked;

    bool grow(int count)
    {
        for (int i = 0; i < count; ++i) {
            ConnectedPair pair = connectPair(listener.get(), port);
            if (pair.clientPort == 0)
                return false;
            leaked.push_back(std::move(pair.server));
        }
        return true;
    }
};

QJsonObject alertFor(const QJsonArray &alerts, const QString &port)
{
    for (const QJsonValue &alert : alerts) {
        const QJsonObject labels = alert.toObject().value(QStringLiteral("labels")).toObject();
        if (labels.value(QStringLiteral("alertname")).toString() == kLeakAlert &&
            labels.value(QStringLiteral("port")).toString() == port)
            return alert.toObject();
    }
    return {};
}
} // namespace

class TestPrometheus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void closeWaitLeakReachesPrometheusAndFires();
};

void TestPrometheus::closeWaitLeakReachesPrometheusAndFires()
{
    SOCKSCOPE_REQUIRE_NETNS();
    if (PrometheusRun::program().isEmpty())
        QSKIP("prometheus is not installed (Debian's prometheus package, "
              "scripts/apt-packages.txt)");

    PrometheusRun prometheus;
    const QByteArray rules = rulesWithShortLeakFor();
    QVERIFY2(!rules.isEmpty(), "no 'for: 5m' in SockscopeCloseWaitLeak of " RULES_FILE);
    const QString rulesCopy = prometheus.directory() + QStringLiteral("/sockscope-rules.yml");
    QFile copy(rulesCopy);
    QVERIFY(copy.open(QIODevice::WriteOnly) && copy.write(rules) == rules.size());
    copy.close();

    ExporterProcess exporter({QStringLiteral("--interval"), QStringLiteral("250")});
    QVERIFY2(exporter.waitServing(), exporter.stderrText().constData());
    const QString target = QStringLiteral("127.0.0.1:%1").arg(exporter.port());

    QString error;
    QVERIFY2(prometheus.start(target, {rulesCopy}, &error), qPrintable(error));

    CloseWaitLeak leak;
    QVERIFY(leak.port != 0);
    QVERIFY(leak.grow(4));
    const QString port = QString::number(leak.port);
    const QString promql =
        QStringLiteral("sockscope_tcp_sockets{state=\"CLOSE_WAIT\",port=\"%1\"}").arg(port);

    // Scraped every second: the count shows up within a few scrapes.
    QByteArray answer;
    double value = -1;
    for (const QDeadlineTimer deadline(kDeadlineMs); value != 4 && !deadline.hasExpired();) {
        error.clear();
        const QList<PrometheusSample> samples = prometheus.query(promql, &error, &answer);
        value = samples.size() == 1 ? samples.first().value : -1;
        if (value != 4)
            QThread::msleep(200);
    }
    QVERIFY2(value == 4,
             qPrintable(QStringLiteral("%1 -> %2 %3\nexporter: %4\nprometheus: %5")
                            .arg(promql, answer, error, exporter.stderrText(), prometheus.log())));
    qInfo("query %s -> %s", qPrintable(promql), answer.constData());

    // Four is below the rule's floor of 10: a leak that small must not alert.
    // An absence can only be waited for: three evaluations, each one past `for: 2s`.
    QThread::msleep(3000);
    QVERIFY(alertFor(prometheus.alerts(&error), port).isEmpty());

    QVERIFY(leak.grow(8));
    QJsonObject alert;
    for (const QDeadlineTimer deadline(kDeadlineMs); !deadline.hasExpired();) {
        alert = alertFor(prometheus.alerts(&error), port);
        if (alert.value(QStringLiteral("state")).toString() == QStringLiteral("firing"))
            break;
        QThread::msleep(200);
    }
    QVERIFY2(alert.value(QStringLiteral("state")).toString() == QStringLiteral("firing"),
             qPrintable(QStringLiteral("%1 on port %2 not firing: %3 %4")
                            .arg(kLeakAlert, port, QJsonDocument(alert).toJson(), error)));
    const QJsonObject annotations = alert.value(QStringLiteral("annotations")).toObject();
    const QString advice =
        QStringLiteral("`sockscope dump --port %1 --state CLOSE_WAIT` on %2").arg(port, target);
    QVERIFY2(annotations.value(QStringLiteral("description")).toString().contains(advice),
             qPrintable(annotations.value(QStringLiteral("description")).toString()));
    QCOMPARE(alert.value(QStringLiteral("value")).toString().toDouble(), 12.0);
    qInfo("%s firing: %s", qPrintable(kLeakAlert),
          qPrintable(annotations.value(QStringLiteral("summary")).toString()));
}

SOCKSCOPE_TEST_MAIN_NETNS(TestPrometheus, QCoreApplication)
#include "tst_prometheus.moc"
