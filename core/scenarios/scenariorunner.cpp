// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenarios/scenariorunner.h"

#include "console/kernelcommands.h"
#include "console/labanswers.h"
#include "console/labconsole.h"
#include "explain/loopbackstate.h"
#include "lab/lab.h"
#include "netns/namespacescope.h"
#include "owners/owneddump.h"
#include "scenarios/scenarioports.h"
#include "util/monotonic.h"

#include <cerrno>
#include <QRegularExpression>
#include <QSet>

namespace sockscope {

namespace {
constexpr int kSettlePollMs = 25;
}

ScenarioRunner::ScenarioRunner(Scenario scenario, QString serverExecutable, NetworkNamespace ns,
                               QObject *parent)
    : QObject(parent), m_scenario(std::move(scenario)),
      m_console(std::make_unique<LabConsole>(std::move(serverExecutable), std::move(ns))),
      m_check({})
{
}

ScenarioRunner::~ScenarioRunner() = default;

Status ScenarioRunner::prepare()
{
    const auto scope = NamespaceScope::enter(m_console->lab().networkNamespace());
    if (!scope)
        return scope.error();
    // Every scenario lives on loopback: with `lo` down no step can work.
    if (loopbackIsDown())
        return Error{ENETUNREACH, loopbackDownText()};
    auto ports = chooseScenarioPorts(m_scenario.ports);
    if (!ports)
        return ports.error();
    m_ports = *ports;
    m_check = ExpectationCheck(m_ports);
    return Ok{};
}

namespace {
const QRegularExpression &placeholderPattern()
{
    static const QRegularExpression placeholder(
        QStringLiteral("\\{([A-Z][A-Z0-9]*)(\\*|-\\d+)?\\}"));
    return placeholder;
}

// Why a resolved command cannot be sent: a placeholder no earlier command
// filled (its connect or listen failed), which the lab would only call a bad id.
QString unfilledReason(const QString &command)
{
    const auto match = placeholderPattern().match(command);
    if (!match.hasMatch())
        return {};
    return QStringLiteral("'%1' needs %2, which no earlier command gave (an earlier command "
                          "failed); start the scenario again")
        .arg(command, match.captured(0));
}

// The failed answer's explanation when it is the down loopback, else empty.
QString loopbackBlame(const ConsoleAnswer &answer)
{
    if (answer.ok || !answer.explanation || answer.explanation->summary != loopbackDownText())
        return {};
    return answer.explanation->summary;
}
} // namespace

QString ScenarioRunner::resolve(const QString &command) const
{
    const QRegularExpression &placeholder = placeholderPattern();
    QString result;
    qsizetype last = 0;
    auto it = placeholder.globalMatch(command);
    while (it.hasNext()) {
        const auto match = it.next();
        const QString name = match.captured(1);
        const QString suffix = match.captured(2);
        QString value = match.captured(0); // unknown: left as typed, the console says why
        if (m_ports.contains(name) && suffix.isEmpty()) {
            value = QString::number(m_ports.value(name));
        } else if (name.size() == 1 && m_ids.contains(name.front())) {
            const QStringList &ids = m_ids[name.front()];
            const qsizetype back = suffix.startsWith(QLatin1Char('-')) ? suffix.mid(1).toInt() : 0;
            if (suffix == QLatin1String("*") && name == QLatin1String("C") &&
                !m_lastRange.isEmpty())
                value = m_lastRange;
            else if (suffix != QLatin1String("*") && back < ids.size())
                value = ids[ids.size() - 1 - back];
        }
        result += command.mid(last, match.capturedStart() - last) + value;
        last = match.capturedEnd();
    }
    return result + command.mid(last);
}

void ScenarioRunner::remember(const QString &command, const ConsoleAnswer &answer)
{
    // Only commands that create objects define {L} {C} {P}: `status P1`
    // must not make P1 the "last" server again.
    const QString verb = command.section(QLatin1Char(' '), 0, 0);
    if (verb != QLatin1String("listen") && verb != QLatin1String("connect") &&
        verb != QLatin1String("server"))
        return;
    if (!answer.ok || answer.ids.isEmpty())
        return;
    for (const QString &id : answer.ids)
        m_ids[id.front()] << id;
    if (verb == QLatin1String("connect"))
        m_lastRange = idRange(answer.ids);
}

std::vector<OwnedSocket> ScenarioRunner::dumpPorts() const
{
    std::vector<OwnedSocket> merged;
    QSet<std::uint64_t> seen;
    for (const std::uint16_t port : QSet<std::uint16_t>(m_ports.begin(), m_ports.end())) {
        auto sockets = dumpWithOwners(port);
        if (!sockets)
            continue;
        for (OwnedSocket &entry : *sockets) {
            // A connection between two of the ports shows up in both dumps.
            if (entry.socket.cookie != 0 && seen.contains(entry.socket.cookie))
                continue;
            seen.insert(entry.socket.cookie);
            merged.push_back(std::move(entry));
        }
    }
    sortForReading(merged);
    return merged;
}

StepRecord ScenarioRunner::runStep(int index)
{
    const ScenarioStep &step = m_scenario.steps.at(index);
    StepRecord record;
    record.number = index + 1;
    record.explanation = step.explanation;
    // The ports' dumps and the loopback check read the lab's namespace.
    const auto scope = NamespaceScope::enter(m_console->lab().networkNamespace());
    if (!scope) {
        record.stoppedBecause = scope.error().message;
        record.passed = false;
        return record;
    }
    for (const QString &line : step.commands) {
        const QString command = resolve(line);
        record.stoppedBecause = unfilledReason(command);
        if (!record.stoppedBecause.isEmpty())
            break;
        const auto answer = m_console->execute(command);
        if (!answer)
            continue;
        remember(command, *answer);
        record.exchanges.append({command, *answer});
        record.stoppedBecause = loopbackBlame(*answer);
        if (!record.stoppedBecause.isEmpty())
            break;
    }
    if (!record.stoppedBecause.isEmpty()) {
        record.passed = false;
        return record;
    }
    const int count = static_cast<int>(record.exchanges.size());
    QSet<int> expectedAnswers;
    QList<Expectation> rowExpectations;
    for (const Expectation &expectation : step.expectations) {
        if (!expectation.checksAnswer()) {
            rowExpectations << expectation;
            continue;
        }
        const int target = expectation.command < 0 ? count - 1 : expectation.command;
        expectedAnswers.insert(target);
        if (target < 0 || target >= count) {
            record.checks.append(
                {m_check.describe(expectation), false, QStringLiteral("no such command")});
            continue;
        }
        record.checks.append(m_check.checkAnswer(expectation, record.exchanges[target].answer));
    }
    // A command nobody expects anything of must simply work.
    for (int i = 0; i < count; ++i) {
        if (expectedAnswers.contains(i))
            continue;
        const Exchange &exchange = record.exchanges[i];
        if (!exchange.answer.ok) {
            record.checks.append({QStringLiteral("'%1' succeeds").arg(exchange.command), false,
                                  exchange.answer.firstLine()});
        }
    }
    // The kernel moves on its own (FINs, timers, a child accepting): give it
    // the settle time, with the event loop running for the lab's sockets.
    const std::int64_t deadline = monotonicMs() + (rowExpectations.isEmpty() ? 0 : step.settleMs);
    QList<CheckResult> rowChecks;
    for (;;) {
        record.sockets = dumpPorts();
        rowChecks.clear();
        bool allPassed = true;
        for (const Expectation &expectation : std::as_const(rowExpectations)) {
            rowChecks << m_check.checkRows(expectation, record.sockets);
            allPassed = allPassed && rowChecks.last().passed;
        }
        if (allPassed || monotonicMs() >= deadline)
            break;
        runEventLoopFor(kSettlePollMs);
    }
    record.checks += rowChecks;
    for (const CheckResult &check : std::as_const(record.checks))
        record.passed = record.passed && check.passed;
    return record;
}

int ScenarioRunner::openObjects() const
{
    return m_console->lab().openObjects();
}

ScenarioTranscript ScenarioRunner::runAll(const std::function<void(const StepRecord &)> &onStep)
{
    ScenarioTranscript transcript;
    transcript.scenario = m_scenario;
    if (auto prepared = prepare(); !prepared) {
        transcript.setupError = prepared.error().message;
        return transcript;
    }
    transcript.ports = m_ports;
    transcript.passed = true;
    for (int i = 0; i < m_scenario.steps.size(); ++i) {
        transcript.steps << runStep(i);
        transcript.passed = transcript.passed && transcript.steps.last().passed;
        if (onStep)
            onStep(transcript.steps.last());
        if (!transcript.steps.last().stoppedBecause.isEmpty())
            break;
    }
    m_console->closeAll();
    return transcript;
}

} // namespace sockscope
