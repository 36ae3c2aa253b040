// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenarios/transcriptformat.h"

#include "format/socketjson.h"
#include "format/sockettext.h"

#include <QJsonArray>

namespace sockscope {

namespace {

QString portsText(const QMap<QString, std::uint16_t> &ports)
{
    QStringList parts;
    for (auto it = ports.cbegin(); it != ports.cend(); ++it)
        parts << QStringLiteral("%1=%2").arg(it.key()).arg(it.value());
    return parts.join(QLatin1Char(' '));
}

QJsonObject explanationToJson(const Explanation &e)
{
    QJsonArray culprits;
    for (const Culprit &culprit : e.culprits) {
        QJsonObject object{{QStringLiteral("description"), culprit.description},
                           {QStringLiteral("when_it_ends"), culprit.whenItEnds},
                           {QStringLiteral("socket"), socketToJson(culprit.socket, culprit.owner)}};
        object.insert(QStringLiteral("ends_in_ms"),
                      culprit.endsInMs ? QJsonValue(qint64(*culprit.endsInMs)) : QJsonValue());
        culprits.append(object);
    }
    return {{QStringLiteral("errno"), e.errnoName},
            {QStringLiteral("summary"), e.summary},
            {QStringLiteral("note"), e.note},
            {QStringLiteral("text"), e.text()},
            {QStringLiteral("culprits"), culprits}};
}

QJsonObject exchangeToJson(const Exchange &exchange)
{
    const ConsoleAnswer &a = exchange.answer;
    QJsonObject object{{QStringLiteral("command"), exchange.command},
                       {QStringLiteral("ok"), a.ok},
                       {QStringLiteral("errno"), a.errnoName},
                       {QStringLiteral("answer"), a.firstLine()},
                       {QStringLiteral("details"), QJsonArray::fromStringList(a.details)}};
    if (a.explanation)
        object.insert(QStringLiteral("explanation"), explanationToJson(*a.explanation));
    return object;
}

QJsonObject stepToJson(const StepRecord &step)
{
    QJsonArray exchanges;
    for (const Exchange &exchange : step.exchanges)
        exchanges.append(exchangeToJson(exchange));
    QJsonArray sockets;
    for (const OwnedSocket &entry : step.sockets)
        sockets.append(socketToJson(entry.socket, entry.owner));
    QJsonArray checks;
    for (const CheckResult &check : step.checks) {
        checks.append(QJsonObject{{QStringLiteral("expect"), check.expectation},
                                  {QStringLiteral("passed"), check.passed},
                                  {QStringLiteral("observed"), check.observed}});
    }
    QJsonObject object{
        {QStringLiteral("number"), step.number}, {QStringLiteral("explanation"), step.explanation},
        {QStringLiteral("passed"), step.passed}, {QStringLiteral("exchanges"), exchanges},
        {QStringLiteral("sockets"), sockets},    {QStringLiteral("checks"), checks}};
    if (!step.stoppedBecause.isEmpty())
        object.insert(QStringLiteral("stopped_because"), step.stoppedBecause);
    return object;
}

} // namespace

QStringList transcriptHeaderText(const Scenario &scenario,
                                 const QMap<QString, std::uint16_t> &ports)
{
    QStringList lines{QStringLiteral("%1  %2 (%3)").arg(scenario.id, scenario.title, scenario.seed),
                      scenario.summary};
    if (!ports.isEmpty())
        lines << QStringLiteral("ports: %1 (loopback)").arg(portsText(ports));
    return lines;
}

QStringList stepText(const StepRecord &step)
{
    QStringList lines{QString(), QStringLiteral("[%1] %2").arg(step.number).arg(step.explanation)};
    for (const Exchange &exchange : step.exchanges) {
        lines << QStringLiteral("    > ") + exchange.command;
        for (const QString &line : exchange.answer.lines())
            lines << QStringLiteral("    ") + line;
    }
    if (!step.stoppedBecause.isEmpty())
        return lines << QStringLiteral("    [STOPPED] ") + step.stoppedBecause;
    lines << QStringLiteral("    kernel (sock_diag) on the scenario's ports:");
    if (step.sockets.empty()) {
        lines << QStringLiteral("      no socket");
    } else {
        for (const QString &line : socketTable(step.sockets))
            lines << QStringLiteral("      ") + line;
    }
    for (const CheckResult &check : step.checks) {
        lines << (check.passed ? QStringLiteral("    [as explained] ") + check.expectation
                               : QStringLiteral("    [DIFFERS] %1; saw %2")
                                     .arg(check.expectation, check.observed));
    }
    return lines;
}

QStringList transcriptFooterText(const ScenarioTranscript &t)
{
    if (t.passed)
        return {
            QString(),
            QStringLiteral("%1: the kernel behaved as the scenario explains").arg(t.scenario.id)};
    const bool stopped =
        !t.setupError.isEmpty() || (!t.steps.isEmpty() && !t.steps.last().stoppedBecause.isEmpty());
    QStringList lines{
        QString(),
        stopped ? QStringLiteral("%1 could not run to its end:").arg(t.scenario.id)
                : QStringLiteral("%1: the kernel differed from the scenario:").arg(t.scenario.id)};
    for (const QString &difference : t.differences())
        lines << QStringLiteral("  ") + difference;
    return lines;
}

QJsonObject transcriptToJson(const ScenarioTranscript &t)
{
    QJsonObject ports;
    for (auto it = t.ports.cbegin(); it != t.ports.cend(); ++it)
        ports.insert(it.key(), it.value());
    QJsonArray steps;
    for (const StepRecord &step : t.steps)
        steps.append(stepToJson(step));
    QJsonObject object{{QStringLiteral("id"), t.scenario.id},
                       {QStringLiteral("title"), t.scenario.title},
                       {QStringLiteral("seed"), t.scenario.seed},
                       {QStringLiteral("summary"), t.scenario.summary},
                       {QStringLiteral("ports"), ports},
                       {QStringLiteral("passed"), t.passed},
                       {QStringLiteral("differences"), QJsonArray::fromStringList(t.differences())},
                       {QStringLiteral("steps"), steps}};
    if (!t.setupError.isEmpty())
        object.insert(QStringLiteral("setup_error"), t.setupError);
    return object;
}

QJsonObject scenarioToJson(const Scenario &scenario)
{
    QJsonArray steps;
    for (const ScenarioStep &step : scenario.steps) {
        QJsonArray expectations;
        for (const Expectation &expectation : step.expectations)
            expectations.append(expectation.describe([](const QString &name) { return name; }));
        steps.append(
            QJsonObject{{QStringLiteral("commands"), QJsonArray::fromStringList(step.commands)},
                        {QStringLiteral("explanation"), step.explanation},
                        {QStringLiteral("expectations"), expectations}});
    }
    QJsonObject ports;
    for (const ScenarioPort &port : scenario.ports)
        ports.insert(port.name, port.preferred);
    return {{QStringLiteral("id"), scenario.id},     {QStringLiteral("title"), scenario.title},
            {QStringLiteral("seed"), scenario.seed}, {QStringLiteral("summary"), scenario.summary},
            {QStringLiteral("ports"), ports},        {QStringLiteral("steps"), steps}};
}

} // namespace sockscope
