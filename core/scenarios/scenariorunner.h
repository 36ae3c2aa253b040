// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "netns/networknamespace.h"
#include "scenarios/expectationcheck.h"
#include "scenarios/scenario.h"
#include "scenarios/transcript.h"
#include "util/result.h"

#include <functional>
#include <memory>
#include <QHash>
#include <QObject>
#include <QString>

namespace sockscope {

class LabConsole;

// Runs a scenario's steps through a lab console of its own: fills in ports
// and ids, records each answer, reads the kernel's sockets on the scenario's
// ports and checks the step's expectations, re-reading the dump (with the
// event loop running) until they hold or the step's settle time is up.
// Lives in one thread; steps run in order. The lab closes with the runner.
class ScenarioRunner : public QObject
{
    Q_OBJECT
public:
    // ns: the network namespace the scenario runs in (see Lab); none chosen:
    // the calling thread's.
    ScenarioRunner(Scenario scenario, QString serverExecutable, NetworkNamespace ns = {},
                   QObject *parent = nullptr);
    ~ScenarioRunner() override;

    // Chooses the ports (see chooseScenarioPorts). Fails when no port is free
    // or sock_diag is unavailable; then no step may run.
    Status prepare();
    const QMap<QString, std::uint16_t> &ports() const { return m_ports; }
    const Scenario &scenario() const { return m_scenario; }

    // Runs step `index` (0-based); call in order after prepare().
    StepRecord runStep(int index);
    // prepare(), every step (onStep after each), then closes the lab.
    ScenarioTranscript runAll(const std::function<void(const StepRecord &)> &onStep = {});
    // Listeners, connections and server processes of the lab still open: what
    // a reset would close (the kernel's orphans and TIME_WAITs are not counted).
    int openObjects() const;

    // "listen 127.0.0.1:{PORT}" -> "listen 127.0.0.1:9000"; {L} {C} {P} are the
    // last ids the lab gave, {P-1} the one before, {C*} the last connect's range.
    QString resolve(const QString &command) const;

private:
    void remember(const QString &command, const ConsoleAnswer &answer);
    std::vector<OwnedSocket> dumpPorts() const;

    Scenario m_scenario;
    std::unique_ptr<LabConsole> m_console;
    QMap<QString, std::uint16_t> m_ports;
    ExpectationCheck m_check;
    QHash<QChar, QStringList> m_ids; // 'L' -> L1, L2...
    QString m_lastRange;
};

} // namespace sockscope
