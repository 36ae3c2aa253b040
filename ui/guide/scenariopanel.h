// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenarios/scenario.h"
#include "scenarios/transcript.h"

#include <cstdint>
#include <optional>
#include <QMap>
#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTextBrowser;

namespace sockscope {

class LabSession;
struct LabEvent;

// The guided tour: pick one of S1-S6, then Next runs the next step through the
// lab (a lab of its own, on the lab thread) and shows what the step means,
// what the kernel did, and whether that is what the scenario explains. After
// each step it asks the window to focus the scenario's port, and the sockets
// a failure blames.
class ScenarioPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ScenarioPanel(LabSession *session, QWidget *parent = nullptr);

    // Loads a scenario (S1..S6) and prepares its ports.
    void load(const QString &id);
    // Runs the next step; false when none is left or the lab is busy.
    bool next();
    // Runs every remaining step, one after the other.
    void runToEnd();
    int stepsDone() const { return m_done; }
    int stepCount() const { return static_cast<int>(m_scenario.steps.size()); }
    // Loaded, ports chosen, no step running: next() would start one.
    bool readyForNext() const { return m_loaded && !m_running && m_done < stepCount(); }
    bool finished() const { return m_loaded && m_done >= stepCount(); }
    // Closes the sockets and processes the scenario opened (on the lab
    // thread); the scenario must be started again to run more steps.
    void reset();
    // The scenario's lab still holds something reset() would close.
    bool hasOpenObjects() const { return m_openObjects > 0; }

Q_SIGNALS:
    void focusRequested(std::optional<std::uint16_t> port, const QList<std::uint64_t> &cookies);
    // Each command of a step with its answer, for the event log.
    void labActivity(const sockscope::LabEvent &event);
    void stepFinished(int index, bool passed);
    void scenarioFinished(bool passed);
    // The scenario could not start (loopback down, its ports taken): `reason`.
    void scenarioRefused(const QString &reason);

private:
    void onReady(const QString &id, const QString &error, const QMap<QString, int> &ports);
    void onStepDone(int index, const StepRecord &record);
    void showStep(int index);
    void onStopped();
    void onLabMoved();
    void updateReset();
    QString portText(const QString &name) const;
    std::optional<std::uint16_t> mainPort() const;

    LabSession *m_session;
    QComboBox *m_choice;
    QPushButton *m_start;
    QPushButton *m_next;
    QPushButton *m_runAll;
    QPushButton *m_reset;
    QLabel *m_summary;
    QListWidget *m_steps;
    QTextBrowser *m_result;
    Scenario m_scenario;
    QMap<QString, int> m_ports;
    QList<StepRecord> m_records;
    QList<std::uint64_t> m_blamed; // cookies of the last failure's culprits
    int m_done = 0;
    int m_openObjects = 0;
    bool m_loaded = false;
    bool m_running = false;
    bool m_runToEnd = false;
    bool m_allPassed = true;
    bool m_resetting = false;
};

} // namespace sockscope
