// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/labsession.h"

#include "console/labconsole.h"
#include "lab/lab.h"
#include "remote/remotesource.h"
#include "scenarios/scenariocatalog.h"
#include "scenarios/scenariorunner.h"
#include "util/threadhandover.h"

#include <deque>
#include <functional>
#include <memory>
#include <QCoreApplication>
#include <QThread>

namespace sockscope {

// Lives on the lab thread; owns the console and the scenario runner.
class LabSession::Worker : public QObject
{
    Q_OBJECT
public:
    Worker(LabSession *session, QString executable)
        : m_session(session), m_executable(std::move(executable))
    {
    }

    // Lab commands and scenario steps run the event loop while they wait
    // (connects, `wait`, settling a step), so a queued request can arrive while
    // another is still on the stack. Jobs never nest: a late one waits its turn,
    // and a shutdown is carried out once the running job has returned.
    void run(std::function<void()> job)
    {
        if (m_depth > 0) {
            m_queue.push_back(std::move(job));
            return;
        }
        ++m_depth;
        job();
        reportOpen();
        while (!m_queue.empty() && !m_shutdownPending) {
            auto next = std::move(m_queue.front());
            m_queue.pop_front();
            next();
            reportOpen();
        }
        --m_depth;
        if (m_shutdownPending)
            shutdownNow();
    }

    // Said when it changed, so that the window knows whether moving the lab
    // would close something.
    void reportOpen()
    {
        const int open = (m_runner ? m_runner->openObjects() : 0) +
                         (m_console ? m_console->lab().openObjects() : 0);
        if (open == m_reportedOpen)
            return;
        m_reportedOpen = open;
        tell([s = m_session, open] { Q_EMIT s->openObjectsChanged(open); });
    }

    void requestShutdown()
    {
        if (m_depth > 0)
            m_shutdownPending = true;
        else
            shutdownNow();
    }

    void execute(std::uint64_t request, const QString &line)
    {
        if (!m_console) {
            m_console = std::make_unique<LabConsole>(m_executable, m_namespace);
            connect(&m_console->lab(), &Lab::labEvent, this, [this](const LabEvent &event) {
                // Objects change on their own too (an accept, a server's exit).
                reportOpen();
                tell([s = m_session, event] { Q_EMIT s->labEvent(event); });
            });
        }
        const std::optional<ConsoleAnswer> answer = m_console->execute(line);
        tell([s = m_session, request, line,
              reply = answer.value_or(ConsoleAnswer::success(QString()))] {
            Q_EMIT s->answered(request, line, reply);
        });
    }

    void startScenario(const QString &id)
    {
        m_runner.reset();
        const std::optional<Scenario> scenario = findScenario(id);
        if (!scenario) {
            tell([s = m_session, id] {
                Q_EMIT s->scenarioReady(id, QStringLiteral("no scenario %1: use S1 to S6").arg(id),
                                        {});
            });
            return;
        }
        m_runner = std::make_unique<ScenarioRunner>(*scenario, m_executable, m_namespace);
        const Status prepared = m_runner->prepare();
        QMap<QString, int> ports;
        for (auto it = m_runner->ports().cbegin(); it != m_runner->ports().cend(); ++it)
            ports.insert(it.key(), it.value());
        if (!prepared)
            m_runner.reset();
        tell([s = m_session, id, error = prepared ? QString() : prepared.error().message, ports] {
            Q_EMIT s->scenarioReady(id, error, ports);
        });
    }

    void runStep(int index)
    {
        StepRecord record;
        if (!m_runner || index < 0 || index >= m_runner->scenario().steps.size()) {
            record.number = index + 1;
            record.passed = false;
            record.explanation =
                QStringLiteral("no scenario is loaded, or it has no step %1").arg(index + 1);
        } else {
            record = m_runner->runStep(index);
        }
        tell([s = m_session, open = m_runner ? m_runner->openObjects() : 0, index, record] {
            Q_EMIT s->scenarioObjectsOpen(open);
            Q_EMIT s->scenarioStepDone(index, record);
        });
    }

    void stopScenario()
    {
        m_runner.reset();
        tell([s = m_session] { Q_EMIT s->scenarioStopped(); });
    }

    void moveTo(const NetworkNamespace &ns)
    {
        const int closed = (m_runner ? m_runner->openObjects() : 0) +
                           (m_console ? m_console->lab().openObjects() : 0);
        shutdownNow();
        m_namespace = ns;
        tell([s = m_session, spec = ns.spec(), closed] {
            Q_EMIT s->networkNamespaceChanged(spec, closed);
        });
    }

    void shutdownNow()
    {
        m_queue.clear();
        m_runner.reset();
        if (m_console)
            m_console->closeAll();
        m_console.reset();
    }

private:
    // The session's signals are emitted on the session's (GUI) thread, so
    // that every receiver, a direct one too (a QSignalSpy), runs there.
    template <typename Emit> void tell(Emit emit)
    {
        invokeHandedOver(m_session, std::move(emit), Qt::QueuedConnection);
    }

    LabSession *m_session;
    QString m_executable;
    NetworkNamespace m_namespace;
    std::unique_ptr<LabConsole> m_console;
    std::unique_ptr<ScenarioRunner> m_runner;
    std::deque<std::function<void()>> m_queue;
    int m_depth = 0;
    int m_reportedOpen = 0;
    bool m_shutdownPending = false;
};

LabSession::LabSession(QString serverExecutable, QObject *parent)
    : QObject(parent), m_thread(new QThread),
      m_worker(new Worker(this, std::move(serverExecutable)))
{
    qRegisterMetaType<sockscope::ConsoleAnswer>();
    qRegisterMetaType<sockscope::StepRecord>();
    qRegisterMetaType<sockscope::LabEvent>();
    qRegisterMetaType<std::uint64_t>("std::uint64_t");
    m_thread->setObjectName(QStringLiteral("sockscope-lab"));
    m_worker->moveToThread(m_thread);
    // Connected first, so that the count is right when the receivers' slots run.
    const auto arrived = [this](int delta) { track(delta); };
    connect(this, &LabSession::answered, this, [arrived] { arrived(-1); });
    connect(this, &LabSession::labEvent, this, [arrived] { arrived(0); });
    connect(this, &LabSession::scenarioReady, this, [arrived] { arrived(-1); });
    connect(this, &LabSession::scenarioObjectsOpen, this, [arrived] { arrived(0); });
    connect(this, &LabSession::scenarioStepDone, this, [arrived] { arrived(-1); });
    connect(this, &LabSession::scenarioStopped, this, [arrived] { arrived(-1); });
    connect(this, &LabSession::networkNamespaceChanged, this, [arrived] { arrived(-1); });
    connect(this, &LabSession::openObjectsChanged, this, [this, arrived](int count) {
        arrived(0);
        m_openObjects = count;
    });
    releaseOnFinish(m_thread);
    m_thread->start();
}

LabSession::~LabSession()
{
    // Returns at once when a job is running; the thread then ends after it.
    invokeHandedOver(
        m_worker, [this] { m_worker->requestShutdown(); }, Qt::BlockingQueuedConnection);
    joinHandedOver(m_thread);
    delete m_worker;
    delete m_thread;
}

void LabSession::track(int delta)
{
    const bool wasBusy = m_pending > 0;
    m_pending += delta;
    if (wasBusy != (m_pending > 0))
        Q_EMIT busyChanged(m_pending > 0);
}

void LabSession::useRemote(RemoteSource *remote)
{
    m_remote = remote;
    connect(remote, &RemoteSource::labAnswered, this,
            [this](std::uint64_t request, const ConsoleAnswer &answer) {
                const auto line = m_remoteLines.constFind(request);
                if (line == m_remoteLines.cend())
                    return;
                const QString text = *line;
                m_remoteLines.erase(line);
                Q_EMIT answered(request, text, answer);
            });
    connect(remote, &RemoteSource::labEvent, this, &LabSession::labEvent);
    connect(remote, &RemoteSource::labLost, this, &LabSession::labLost);
    connect(remote, &RemoteSource::connected, this, &LabSession::labProcessChanged);
}

int LabSession::labProcessId() const
{
    return m_remote ? m_remote->agentPid() : static_cast<int>(QCoreApplication::applicationPid());
}

std::uint64_t LabSession::submit(const QString &line)
{
    const std::uint64_t request = m_nextRequest++;
    track(+1);
    if (m_remote) {
        m_remoteLines.insert(request, line);
        m_remote->submitLab(request, line);
        return request;
    }
    invokeHandedOver(m_worker, [this, request, line] {
        m_worker->run([this, request, line] { m_worker->execute(request, line); });
    });
    return request;
}

void LabSession::startScenario(const QString &id)
{
    track(+1);
    invokeHandedOver(m_worker,
                     [this, id] { m_worker->run([this, id] { m_worker->startScenario(id); }); });
}

void LabSession::runScenarioStep(int index)
{
    track(+1);
    invokeHandedOver(m_worker,
                     [this, index] { m_worker->run([this, index] { m_worker->runStep(index); }); });
}

void LabSession::setNetworkNamespace(const NetworkNamespace &ns)
{
    if (ns.inode() == m_namespace.inode() && ns.device() == m_namespace.device())
        return;
    m_namespace = ns;
    track(+1);
    invokeHandedOver(m_worker, [this, ns] { m_worker->run([this, ns] { m_worker->moveTo(ns); }); });
}

void LabSession::stopScenario()
{
    track(+1);
    invokeHandedOver(m_worker, [this] { m_worker->run([this] { m_worker->stopScenario(); }); });
}

} // namespace sockscope

#include "labsession.moc"
