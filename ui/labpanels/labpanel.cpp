// SPDX-License-Identifier: GPL-3.0-or-later
#include "labpanels/labpanel.h"

#include "labpanels/answerview.h"
#include "labpanels/clientform.h"
#include "labpanels/labobjectlist.h"
#include "labpanels/listenerform.h"
#include "labpanels/panelsize.h"
#include "labpanels/serverform.h"
#include "session/labsession.h"

#include <algorithm>
#include <cerrno>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace sockscope {

LabPanel::LabPanel(LabSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_listenerForm(new ListenerForm(this)),
      m_clientForm(new ClientForm(this)), m_serverForm(new ServerForm(this)),
      m_objects(new LabObjectList(this)), m_answers(new AnswerView(this)),
      m_running(new QLabel(this)), m_console(new QLineEdit(this)),
      m_run(new QPushButton(QIcon::fromTheme(QStringLiteral("system-run")), tr("&Run"), this))
{
    setObjectName(QStringLiteral("labPanel"));
    m_console->setObjectName(QStringLiteral("labConsole"));
    m_console->setPlaceholderText(tr("Console: any lab command, e.g. check 127.0.0.1:9000, help"));
    m_console->setClearButtonEnabled(true);
    m_console->setToolTip(tr("Runs one line of `sockscope lab` (Up/Down: history)"));
    m_console->installEventFilter(this);
    m_run->setObjectName(QStringLiteral("labRunButton"));
    m_run->setAutoDefault(false);
    m_running->setObjectName(QStringLiteral("labRunning"));
    m_running->setForegroundRole(QPalette::PlaceholderText);
    m_running->setWordWrap(true);
    m_running->hide();

    // Stacked, the three forms need more height than a dock has; as tabs they
    // leave room for the objects and the transcript, which matter as much.
    auto *forms = new QTabWidget(this);
    forms->setObjectName(QStringLiteral("labForms"));
    forms->setDocumentMode(true);
    for (LabForm *form :
         {static_cast<LabForm *>(m_listenerForm), static_cast<LabForm *>(m_clientForm),
          static_cast<LabForm *>(m_serverForm)}) {
        forms->addTab(form, form->title());
        connect(form, &LabForm::commandRequested, this, &LabPanel::run);
    }
    m_forms = forms;

    auto *transcript = new QWidget(this);
    auto *transcriptLayout = new QVBoxLayout(transcript);
    transcriptLayout->setContentsMargins(0, 0, 0, 0);
    transcriptLayout->addWidget(m_answers, 1);
    transcriptLayout->addWidget(m_running);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("labSplitter"));
    split->setChildrenCollapsible(false);
    split->addWidget(forms);
    split->addWidget(m_objects);
    split->addWidget(transcript);
    split->setStretchFactor(0, 0);
    // The objects, each with its last answer, get most: the transcript repeats them.
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 1);

    auto *consoleRow = new QHBoxLayout;
    consoleRow->addWidget(m_console, 1);
    consoleRow->addWidget(m_run);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addLayout(consoleRow);

    connect(m_objects, &LabObjectList::commandRequested, this, &LabPanel::run);
    connect(m_answers, &AnswerView::focusRequested, this, &LabPanel::focusRequested);
    connect(m_console, &QLineEdit::returnPressed, this, &LabPanel::runConsoleLine);
    connect(m_run, &QPushButton::clicked, this, &LabPanel::runConsoleLine);
    connect(m_session, &LabSession::answered, this, &LabPanel::onAnswered);
    connect(m_session, &LabSession::busyChanged, this, &LabPanel::setBusy);
    // A lab moved to another namespace closed these objects; the new one starts at L1.
    connect(m_session, &LabSession::networkNamespaceChanged, this, [this](const QString &, int) {
        m_objects->clear();
        notePids();
    });
    // A server's lab went with its agent: its objects are closed there.
    connect(m_session, &LabSession::labLost, this, [this](const QString &why) {
        m_objects->clear();
        notePids();
        m_answers->addExchange(tr("(connection lost)"),
                               ConsoleAnswer::failure(Error{ECONNRESET, why}));
    });
    connect(m_session, &LabSession::labProcessChanged, this, &LabPanel::notePids);
    m_lastPids = labPids();
    setBusy(m_session->pending() > 0);
}

std::uint64_t LabPanel::run(const QString &line)
{
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty())
        return 0;
    const std::uint64_t request = m_session->submit(trimmed);
    m_pending.insert(request, trimmed);
    updateRunning();
    return request;
}

void LabPanel::runConsoleLine()
{
    // The console line is a free-form command: it obeys the busy rule too.
    const QString line = m_console->text().trimmed();
    if (m_busy || line.isEmpty())
        return;
    m_history.removeAll(line);
    m_history << line;
    m_historyIndex = m_history.size();
    m_console->clear();
    run(line);
}

bool LabPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_console && event->type() == QEvent::KeyPress && !m_history.isEmpty()) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Up || key == Qt::Key_Down) {
            m_historyIndex = std::clamp<qsizetype>(m_historyIndex + (key == Qt::Key_Up ? -1 : 1), 0,
                                                   m_history.size());
            m_console->setText(m_history.value(m_historyIndex));
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void LabPanel::onAnswered(std::uint64_t request, const QString &line, const ConsoleAnswer &answer)
{
    // The session is shared (the guided scenarios use it too): only our requests.
    if (!m_pending.remove(request))
        return;
    m_answers->addExchange(line, answer);
    m_objects->noteAnswer(answer);
    updateRunning();
    notePids();
    Q_EMIT commandAnswered(line, answer);
}

void LabPanel::notePids()
{
    const QSet<int> pids = labPids();
    if (pids != m_lastPids) {
        m_lastPids = pids;
        Q_EMIT labPidsChanged(pids);
    }
}

QSize LabPanel::sizeHint() const
{
    return dockPanelSizeHint(this, QWidget::sizeHint());
}

QSet<int> LabPanel::labPids() const
{
    QSet<int> pids = m_objects->runningServerPids();
    if (const int own = m_session->labProcessId(); own > 0)
        pids.insert(own);
    return pids;
}

void LabPanel::setBusy(bool busy)
{
    m_busy = busy;
    m_listenerForm->setBusy(busy);
    m_clientForm->setBusy(busy);
    m_serverForm->setBusy(busy);
    m_objects->setBusy(busy);
    m_run->setEnabled(!busy);
    updateRunning();
}

void LabPanel::updateRunning()
{
    QStringList lines = m_pending.values();
    if (lines.isEmpty() && m_busy)
        lines << tr("another lab request (a guided scenario)");
    m_running->setText(lines.isEmpty() ? QString()
                                       : tr("Running: %1…").arg(lines.join(QStringLiteral("; "))));
    m_running->setVisible(!lines.isEmpty());
}

} // namespace sockscope
