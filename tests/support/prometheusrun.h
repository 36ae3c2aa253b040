// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

class QNetworkAccessManager;

namespace sockscope::test {

// One sample of an instant query's answer: its labels and value.
struct PrometheusSample
{
    QJsonObject labels;
    double value = 0;
};

// A real Prometheus (Debian's `prometheus`) started by a test on a free port of
// 127.0.0.1 with its own configuration and storage in a temporary directory,
// scraping one target every second and evaluating its rule files every second.
// The destructor stops it (SIGTERM, then SIGKILL after 5 s), even when the test
// failed halfway. It runs in the caller's network namespace, as QProcess
// children do: start the scraped program from the same process.
class PrometheusRun
{
public:
    PrometheusRun();
    ~PrometheusRun();
    PrometheusRun(const PrometheusRun &) = delete;
    PrometheusRun &operator=(const PrometheusRun &) = delete;

    // The executable on PATH, or empty when Prometheus is not installed.
    static QString program();

    // Starts it scraping http://target/metrics as job "sockscope" and waits
    // (at most 20 s) until it says it is ready. false with *error naming why.
    bool start(const QString &target, const QStringList &ruleFiles, QString *error);

    // GET of an API path ("/api/v1/alerts"): the answer's "data" when its
    // status is "success"; otherwise an undefined value and *error.
    QJsonValue apiGet(const QString &pathAndQuery, QString *error);
    // An instant query's vector; the raw answer in *answer for a report.
    QList<PrometheusSample> query(const QString &promql, QString *error,
                                  QByteArray *answer = nullptr);
    // The alerts its rule evaluation holds now (pending and firing).
    QJsonArray alerts(QString *error);

    QString baseUrl() const;
    std::uint16_t port() const { return m_port; }
    QString directory() const { return m_dir.path(); }
    // What it logged so far (for a failure message).
    QString log();

private:
    QByteArray get(const QString &pathAndQuery, QString *error);

    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_log;
    QNetworkAccessManager *m_network = nullptr;
    std::uint16_t m_port = 0;
};

} // namespace sockscope::test
