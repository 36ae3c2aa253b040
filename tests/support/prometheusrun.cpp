// SPDX-License-Identifier: GPL-3.0-or-later
#include "prometheusrun.h"

#include "loopback.h"
#include "processrun.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>
#include <QUrl>

namespace sockscope::test {

namespace {
constexpr int kRequestTimeoutMs = 5000;
constexpr int kReadyTimeoutMs = 20000;

QByteArray configFor(const QString &target, const QStringList &ruleFiles)
{
    QByteArray config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                        "rule_files:\n";
    for (const QString &file : ruleFiles)
        config += "  - '" + file.toUtf8() + "'\n";
    config += "scrape_configs:\n  - job_name: sockscope\n    static_configs:\n"
              "      - targets: ['" +
              target.toUtf8() + "']\n";
    return config;
}

// A GET through Qt's own HTTP client (Prometheus may answer chunked), at most
// timeoutMs. The body, also of an HTTP error status (the API's errors are JSON);
// empty with *error for no answer, a refused connection or a timeout.
QByteArray fetch(QNetworkAccessManager &network, const QString &url, int timeoutMs, QString *error)
{
    // Requests go to our own loopback servers, never to a proxy.
    network.setProxy(QNetworkProxy::NoProxy);
    QNetworkReply *reply = network.get(QNetworkRequest(QUrl(url)));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    QByteArray body;
    if (!reply->isFinished()) {
        *error = QStringLiteral("%1: no answer within %2 ms").arg(url).arg(timeoutMs);
        reply->abort();
    } else if (reply->error() != QNetworkReply::NoError &&
               reply->error() < QNetworkReply::ContentAccessDenied) {
        // Transport errors; an HTTP error status still has a body to read.
        *error = url + QStringLiteral(": ") + reply->errorString();
    } else {
        body = reply->readAll();
    }
    reply->deleteLater();
    return body;
}
} // namespace

PrometheusRun::PrometheusRun() : m_network(new QNetworkAccessManager)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

PrometheusRun::~PrometheusRun()
{
    stopProcess(m_process, 5000);
    delete m_network;
}

QString PrometheusRun::program()
{
    return QStandardPaths::findExecutable(QStringLiteral("prometheus"));
}

bool PrometheusRun::start(const QString &target, const QStringList &ruleFiles, QString *error)
{
    if (!m_dir.isValid()) {
        *error = QStringLiteral("no temporary directory: ") + m_dir.errorString();
        return false;
    }
    QFile config(m_dir.filePath(QStringLiteral("prometheus.yml")));
    if (!config.open(QIODevice::WriteOnly) || config.write(configFor(target, ruleFiles)) < 0) {
        *error = QStringLiteral("cannot write ") + config.fileName();
        return false;
    }
    config.close();
    m_port = freeLoopbackPort();
    startServer(
        m_process, program(),
        {QStringLiteral("--config.file=") + config.fileName(),
         QStringLiteral("--storage.tsdb.path=") + m_dir.filePath("data"),
         QStringLiteral("--web.listen-address=") + QStringLiteral("127.0.0.1:%1").arg(m_port),
         QStringLiteral("--log.level=warn")});
    if (!m_process.waitForStarted(5000)) {
        *error = QStringLiteral("prometheus did not start: ") + m_process.errorString();
        return false;
    }
    const QDeadlineTimer deadline(kReadyTimeoutMs);
    while (!deadline.hasExpired()) {
        if (m_process.state() != QProcess::Running) {
            *error = QStringLiteral("prometheus exited: ") + log();
            return false;
        }
        QString notYet;
        if (get(QStringLiteral("/-/ready"), &notYet).startsWith("Prometheus"))
            return true;
        QThread::msleep(100);
    }
    *error = QStringLiteral("prometheus not ready within %1 ms: ").arg(kReadyTimeoutMs) + log();
    return false;
}

QString PrometheusRun::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

QString PrometheusRun::log()
{
    m_log += m_process.readAll();
    return QString::fromUtf8(m_log);
}

QByteArray PrometheusRun::get(const QString &pathAndQuery, QString *error)
{
    return fetch(*m_network, baseUrl() + pathAndQuery, kRequestTimeoutMs, error);
}

QJsonValue PrometheusRun::apiGet(const QString &pathAndQuery, QString *error)
{
    const QByteArray body = get(pathAndQuery, error);
    if (body.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    const QJsonObject answer = QJsonDocument::fromJson(body).object();
    if (answer.value(QStringLiteral("status")).toString() != QStringLiteral("success")) {
        *error = QStringLiteral("%1 answered: %2").arg(pathAndQuery, QString::fromUtf8(body));
        return QJsonValue(QJsonValue::Undefined);
    }
    return answer.value(QStringLiteral("data"));
}

QList<PrometheusSample> PrometheusRun::query(const QString &promql, QString *error,
                                             QByteArray *answer)
{
    const QString path = QStringLiteral("/api/v1/query?query=") +
                         QString::fromLatin1(QUrl::toPercentEncoding(promql));
    const QJsonValue data = apiGet(path, error);
    if (answer)
        *answer = QJsonDocument(data.toObject()).toJson(QJsonDocument::Compact);
    QList<PrometheusSample> samples;
    for (const QJsonValue &result : data.toObject().value(QStringLiteral("result")).toArray()) {
        const QJsonObject object = result.toObject();
        // "value": [time, "text"]: Prometheus writes sample values as strings.
        const QString text = object.value(QStringLiteral("value")).toArray().at(1).toString();
        samples.append({object.value(QStringLiteral("metric")).toObject(), text.toDouble()});
    }
    return samples;
}

QJsonArray PrometheusRun::alerts(QString *error)
{
    return apiGet(QStringLiteral("/api/v1/alerts"), error)
        .toObject()
        .value(QStringLiteral("alerts"))
        .toArray();
}

} // namespace sockscope::test
