// SPDX-License-Identifier: GPL-3.0-or-later
#include "guide/scenariopanel.h"

#include "scenarios/scenariocatalog.h"
#include "scenarios/scenarioports.h"
#include "session/labsession.h"
#include "util/monotonic.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace sockscope {

ScenarioPanel::ScenarioPanel(LabSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_choice(new QComboBox(this)),
      m_start(new QPushButton(tr("Start"), this)), m_next(new QPushButton(tr("Next step"), this)),
      m_runAll(new QPushButton(tr("Run to end"), this)),
      m_reset(new QPushButton(tr("Reset"), this)), m_summary(new QLabel(this)),
      m_steps(new QListWidget(this)), m_result(new QTextBrowser(this))
{
    for (const Scenario &scenario : allScenarios())
        m_choice->addItem(QStringLiteral("%1 · %2").arg(scenario.id, scenario.title), scenario.id);
    m_choice->setObjectName(QStringLiteral("scenarioChoice"));
    // Long titles must not widen the dock (and the window) beyond small screens.
    m_choice->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_choice->setMinimumContentsLength(18);
    m_start->setObjectName(QStringLiteral("scenarioStart"));
    m_next->setObjectName(QStringLiteral("scenarioNext"));
    m_next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    m_next->setToolTip(tr("Run the next step through the lab (Ctrl+N)"));
    m_next->setEnabled(false);
    m_runAll->setEnabled(false);
    m_reset->setObjectName(QStringLiteral("scenarioReset"));
    m_reset->setToolTip(tr("Closes the sockets this scenario opened; TIME_WAIT sockets are the "
                           "kernel's and expire on their own"));
    m_reset->setEnabled(false);
    m_summary->setWordWrap(true);
    m_summary->setText(tr("<b>Guided scenarios.</b> Six classic socket-lifecycle pitfalls, "
                          "reproduced with real sockets on loopback. Pick one and press Start; "
                          "each Next runs one step and shows what the kernel did."));
    m_steps->setWordWrap(true);
    m_result->setOpenLinks(false);
    connect(m_result, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (url.scheme() == QLatin1String("select"))
            Q_EMIT focusRequested(mainPort(), m_blamed);
    });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_next);
    buttons->addWidget(m_runAll);
    buttons->addWidget(m_reset);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_steps);
    split->addWidget(m_result);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_choice);
    layout->addLayout(buttons);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);

    connect(m_start, &QPushButton::clicked, this,
            [this] { load(m_choice->currentData().toString()); });
    connect(m_next, &QPushButton::clicked, this, [this] { next(); });
    connect(m_runAll, &QPushButton::clicked, this, &ScenarioPanel::runToEnd);
    connect(m_reset, &QPushButton::clicked, this, &ScenarioPanel::reset);
    connect(m_session, &LabSession::scenarioObjectsOpen, this, [this](int count) {
        // A step of a scenario already reset or replaced reports a lab that is gone.
        if (m_running && m_loaded)
            m_openObjects = count;
    });
    connect(m_session, &LabSession::scenarioStopped, this, &ScenarioPanel::onStopped);
    connect(m_session, &LabSession::scenarioReady, this, &ScenarioPanel::onReady);
    connect(m_session, &LabSession::scenarioStepDone, this, &ScenarioPanel::onStepDone);
    connect(m_session, &LabSession::networkNamespaceChanged, this, &ScenarioPanel::onLabMoved);
}

void ScenarioPanel::onLabMoved()
{
    // The session dropped the scenario's lab with the old namespace.
    if (!m_loaded)
        return;
    m_loaded = false;
    m_openObjects = 0;
    m_next->setEnabled(false);
    m_runAll->setEnabled(false);
    updateReset();
    m_result->append(tr("<p><b>The lab moved to another network namespace:</b> this scenario's "
                        "sockets in the old one are closed. Press <b>Start</b> to run it "
                        "again where the lab acts now.</p>"));
}

QString ScenarioPanel::portText(const QString &name) const
{
    return m_ports.contains(name) ? QString::number(m_ports.value(name)) : name;
}

std::optional<std::uint16_t> ScenarioPanel::mainPort() const
{
    if (m_ports.contains(QStringLiteral("PORT")))
        return static_cast<std::uint16_t>(m_ports.value(QStringLiteral("PORT")));
    return std::nullopt;
}

void ScenarioPanel::load(const QString &id)
{
    const std::optional<Scenario> scenario = findScenario(id);
    if (!scenario || m_running || m_resetting)
        return;
    m_choice->setCurrentIndex(m_choice->findData(scenario->id));
    m_scenario = *scenario;
    m_loaded = false;
    m_done = 0;
    // The lab thread closes the previous scenario's lab before it prepares this one.
    m_openObjects = 0;
    m_records.clear();
    m_blamed.clear();
    m_allPassed = true;
    m_steps->clear();
    m_result->clear();
    m_summary->setText(QStringLiteral("<b>%1 · %2</b> (%3)<br>%4")
                           .arg(m_scenario.id, m_scenario.title.toHtmlEscaped(), m_scenario.seed,
                                m_scenario.summary.toHtmlEscaped()));
    m_running = true;
    m_start->setEnabled(false);
    updateReset();
    m_session->startScenario(m_scenario.id);
}

void ScenarioPanel::reset()
{
    if (m_running || m_resetting || !hasOpenObjects())
        return;
    m_resetting = true;
    m_runToEnd = false;
    m_loaded = false;
    m_next->setEnabled(false);
    m_runAll->setEnabled(false);
    m_start->setEnabled(false);
    updateReset();
    m_session->stopScenario();
}

void ScenarioPanel::onStopped()
{
    if (!m_resetting)
        return;
    m_resetting = false;
    m_openObjects = 0;
    m_start->setEnabled(true);
    updateReset();
    m_result->append(
        tr("<p><b>Reset:</b> the sockets this scenario opened are closed. Sockets the kernel "
           "still shows on its ports (TIME_WAIT, FIN_WAIT2) are the kernel's: they expire on "
           "their own. Press <b>Start</b> to run it again.</p>"));
}

void ScenarioPanel::updateReset()
{
    m_reset->setEnabled(!m_running && !m_resetting && hasOpenObjects());
}

void ScenarioPanel::onReady(const QString &id, const QString &error,
                            const QMap<QString, int> &ports)
{
    if (id != m_scenario.id)
        return;
    m_running = false;
    m_start->setEnabled(true);
    updateReset();
    if (!error.isEmpty()) {
        m_result->setHtml(tr("<p style='color:#c03030'><b>The scenario cannot start:</b> %1</p>")
                              .arg(error.toHtmlEscaped()));
        Q_EMIT scenarioRefused(error);
        return;
    }
    m_ports = ports;
    m_loaded = true;
    for (int i = 0; i < m_scenario.steps.size(); ++i) {
        m_steps->addItem(
            tr("%1. %2").arg(i + 1).arg(withPortNumbers(m_scenario.steps[i].explanation, m_ports)));
    }
    QStringList portList;
    for (auto it = m_ports.cbegin(); it != m_ports.cend(); ++it)
        portList << QStringLiteral("%1 = %2").arg(it.key()).arg(it.value());
    m_result->setHtml(
        tr("<p>Ports: %1. Press <b>Next step</b>.</p>").arg(portList.join(QStringLiteral(", "))));
    m_next->setEnabled(true);
    m_runAll->setEnabled(true);
    Q_EMIT focusRequested(mainPort(), {});
    if (m_runToEnd)
        next();
}

bool ScenarioPanel::next()
{
    if (!m_loaded || m_running || m_done >= stepCount())
        return false;
    if (!m_records.isEmpty() && !m_records.last().stoppedBecause.isEmpty())
        return false;
    m_running = true;
    m_next->setEnabled(false);
    m_runAll->setEnabled(false);
    updateReset();
    m_steps->setCurrentRow(m_done);
    m_result->setHtml(tr("<p><i>Running step %1…</i></p>").arg(m_done + 1));
    m_session->runScenarioStep(m_done);
    return true;
}

void ScenarioPanel::runToEnd()
{
    m_runToEnd = true;
    if (!m_loaded && !m_running)
        load(m_choice->currentData().toString());
    else
        next();
}

void ScenarioPanel::onStepDone(int index, const StepRecord &record)
{
    if (!m_running || !m_loaded || index != m_done)
        return;
    m_running = false;
    updateReset();
    m_records << record;
    ++m_done;
    m_allPassed = m_allPassed && record.passed;
    m_blamed.clear();
    for (const Exchange &exchange : record.exchanges) {
        LabEvent event;
        event.timeMs = monotonicMs();
        event.objectId = m_scenario.id;
        event.text = exchange.command + QStringLiteral(" → ") + exchange.answer.firstLine();
        if (!exchange.answer.ok && exchange.answer.explanation) {
            event.failure = exchange.answer.explanation;
            for (const Culprit &culprit : exchange.answer.explanation->culprits)
                m_blamed << culprit.socket.cookie;
        }
        Q_EMIT labActivity(event);
    }
    if (QListWidgetItem *item = m_steps->item(index))
        item->setIcon(style()->standardIcon(record.passed ? QStyle::SP_DialogApplyButton
                                                          : QStyle::SP_MessageBoxWarning));
    showStep(index);
    Q_EMIT focusRequested(mainPort(), m_blamed);
    Q_EMIT stepFinished(index, record.passed);
    // A stopped step leaves nothing the later ones could build on.
    const bool more = m_done < stepCount() && record.stoppedBecause.isEmpty();
    m_next->setEnabled(more);
    m_runAll->setEnabled(more);
    if (!more) {
        m_runToEnd = false;
        Q_EMIT scenarioFinished(m_allPassed);
    } else if (m_runToEnd) {
        next();
    }
}

void ScenarioPanel::showStep(int index)
{
    const StepRecord &record = m_records.value(index);
    QString html =
        QStringLiteral("<p><b>Step %1.</b> %2</p>")
            .arg(record.number)
            .arg(m_steps->item(index)
                     ? m_steps->item(index)->text().section(QLatin1Char(' '), 1).toHtmlEscaped()
                     : QString());
    for (const Exchange &exchange : record.exchanges) {
        const QString colour =
            exchange.answer.ok ? QStringLiteral("#2e8b3e") : QStringLiteral("#c03030");
        html += QStringLiteral("<p><code>&gt; %1</code><br><span style='color:%2'>%3</span></p>")
                    .arg(exchange.command.toHtmlEscaped(), colour,
                         exchange.answer.firstLine().toHtmlEscaped());
    }
    if (!m_blamed.isEmpty())
        html += tr(
            "<p><a href='select:culprits'>Select the responsible socket(s) in the table</a></p>");
    if (!record.stoppedBecause.isEmpty()) {
        m_result->setHtml(html + tr("<p style='color:#c03030'><b>The scenario stopped:</b> %1</p>")
                                     .arg(record.stoppedBecause.toHtmlEscaped()));
        return;
    }
    html += tr("<p><b>What the kernel showed</b></p><ul>");
    for (const CheckResult &check : record.checks) {
        html += QStringLiteral("<li>%1 %2<br><small>%3</small></li>")
                    .arg(check.passed ? QStringLiteral("✔") : QStringLiteral("✘"),
                         check.expectation.toHtmlEscaped(), check.observed.toHtmlEscaped());
    }
    html += QStringLiteral("</ul>");
    if (!record.passed)
        html += tr("<p style='color:#c03030'>The kernel did not behave as this step explains.</p>");
    m_result->setHtml(html);
}

} // namespace sockscope
