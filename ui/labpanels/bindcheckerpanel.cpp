// SPDX-License-Identifier: GPL-3.0-or-later
#include "labpanels/bindcheckerpanel.h"

#include "labpanels/bindcheckform.h"
#include "labpanels/blockerlist.h"
#include "labpanels/culprits.h"
#include "labpanels/panelsize.h"
#include "theme/statuscolors.h"
#include "session/labsession.h"
#include "util/monotonic.h"

#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace sockscope {

namespace {

// "127.0.0.1:9000 with SO_REUSEADDR" from "check 127.0.0.1:9000 reuseaddr".
QString subjectOf(const QString &line)
{
    QStringList words = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words.size() < 2)
        return line;
    QStringList options;
    for (const QString &word : words.mid(2))
        options << QStringLiteral("SO_") + word.toUpper();
    return options.isEmpty()
               ? words[1]
               : words[1] + QStringLiteral(" with ") + options.join(QStringLiteral(" and "));
}

std::optional<std::uint16_t> portOf(const QString &line)
{
    const QString address = line.section(QLatin1Char(' '), 1, 1);
    bool ok = false;
    const uint port = address.section(QLatin1Char(':'), -1).toUInt(&ok);
    return ok && port <= 65535 ? std::optional<std::uint16_t>(port) : std::nullopt;
}

} // namespace

BindCheckerPanel::BindCheckerPanel(LabSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_form(new BindCheckForm(this)),
      m_verdict(new QLabel(this)), m_summary(new QLabel(this)), m_note(new QLabel(this)),
      m_heading(new QLabel(this)), m_selectAll(new QLabel(this)), m_blockers(new BlockerList(this)),
      m_recheck(
          new QPushButton(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("&Re-check"), this))
{
    setObjectName(QStringLiteral("bindCheckerPanel"));
    m_verdict->setObjectName(QStringLiteral("bindVerdict"));
    QFont big = m_verdict->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_verdict->setFont(big);
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setObjectName(QStringLiteral("bindSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setText(tr("Enter the address your server binds and the options it sets, then "
                          "Check: a real probe bind tells whether the kernel lets it in, and "
                          "which sockets are in the way."));
    m_note->setObjectName(QStringLiteral("bindNote"));
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    m_heading->setObjectName(QStringLiteral("blockerHeading"));
    m_heading->setWordWrap(true);
    m_selectAll->setObjectName(QStringLiteral("selectAllBlockers"));
    paintLink();
    m_selectAll->setToolTip(tr("Select all these sockets in the socket table"));
    m_recheck->setObjectName(QStringLiteral("recheckButton"));
    m_recheck->setAutoDefault(false);
    m_recheck->setToolTip(tr("Run the last check again (a TIME_WAIT may have ended)"));
    for (QWidget *hidden : {static_cast<QWidget *>(m_verdict), static_cast<QWidget *>(m_note),
                            static_cast<QWidget *>(m_heading), static_cast<QWidget *>(m_selectAll),
                            static_cast<QWidget *>(m_blockers)})
        hidden->hide();

    auto *headingRow = new QHBoxLayout;
    headingRow->addWidget(m_heading, 1);
    headingRow->addWidget(m_selectAll, 0, Qt::AlignTop);
    auto *bottomRow = new QHBoxLayout;
    bottomRow->addStretch(1);
    bottomRow->addWidget(m_recheck);
    auto *question = new QGroupBox(m_form->title(), this);
    auto *questionLayout = new QVBoxLayout(question);
    questionLayout->setContentsMargins(4, 4, 4, 4);
    questionLayout->addWidget(m_form);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(question);
    layout->addWidget(m_verdict);
    layout->addWidget(m_summary);
    layout->addWidget(m_note);
    layout->addLayout(headingRow);
    layout->addWidget(m_blockers, 1);
    layout->addStretch(0);
    layout->addLayout(bottomRow);

    connect(m_form, &LabForm::commandRequested, this, &BindCheckerPanel::submit);
    connect(m_recheck, &QPushButton::clicked, this, &BindCheckerPanel::recheck);
    connect(m_selectAll, &QLabel::linkActivated, m_blockers, &QListWidget::selectAll);
    connect(m_blockers, &QListWidget::itemSelectionChanged, this, [this] {
        ++m_selectionChanges;
        focusOn(m_blockers->selectedCookies());
    });
    // A press on the row already selected changes no selection: the user still
    // asks to see it (the window may show another port by now).
    m_blockers->viewport()->installEventFilter(this);
    connect(m_blockers, &QListWidget::itemPressed, this, [this] {
        if (m_selectionChanges == m_selectionChangesAtPress)
            focusOn(m_blockers->selectedCookies());
    });
    connect(m_session, &LabSession::answered, this, &BindCheckerPanel::onAnswered);
    connect(m_session, &LabSession::busyChanged, this, &BindCheckerPanel::setBusy);
    setBusy(m_session->pending() > 0);
}

QSize BindCheckerPanel::sizeHint() const
{
    return dockPanelSizeHint(this, QWidget::sizeHint());
}

bool BindCheckerPanel::check()
{
    return submit(m_form->command());
}

bool BindCheckerPanel::recheck()
{
    return submit(m_lastLine);
}

bool BindCheckerPanel::submit(const QString &line)
{
    if (m_busy || m_request != 0 || line.isEmpty())
        return false;
    m_lastLine = line;
    m_request = m_session->submit(line);
    m_recheck->setEnabled(false);
    return true;
}

void BindCheckerPanel::onAnswered(std::uint64_t request, const QString &line,
                                  const ConsoleAnswer &answer)
{
    if (request != m_request)
        return;
    m_request = 0;
    show(line, answer);
    setBusy(m_busy);
    Q_EMIT checked(answer);
}

void BindCheckerPanel::show(const QString &line, const ConsoleAnswer &answer)
{
    const QString subject = subjectOf(line);
    m_canBind = answer.ok;
    m_verdict->setText(answer.ok ? tr("You can bind %1").arg(subject)
                                 : tr("%1: you cannot bind %2").arg(answer.errnoName, subject));
    m_verdict->show();
    paintVerdict();

    const std::optional<Explanation> &e = answer.explanation;
    m_summary->setText(e && !e->summary.isEmpty() ? e->summary : answer.text);
    m_note->setText(e ? e->note : QString());
    m_note->setVisible(!m_note->text().isEmpty());

    const QList<Culprit> culprits = e ? e->culprits : QList<Culprit>();
    const SocketFocus focus = focusOf(culprits);
    m_port = focus.port ? focus.port : portOf(line);
    m_blockers->setCulprits(culprits, monotonicMs());
    const int count = static_cast<int>(culprits.size());
    const QString sockets = count == 1 ? tr("1 socket") : tr("%1 sockets").arg(count);
    m_heading->setText(
        answer.ok ? tr("<b>%1 on the port</b>, not in the way of this bind:").arg(sockets)
                  : tr("<b>%1 in the way</b>; select one to find it in the table:").arg(sockets));
    for (QWidget *list : {static_cast<QWidget *>(m_heading), static_cast<QWidget *>(m_selectAll),
                          static_cast<QWidget *>(m_blockers)})
        list->setVisible(count > 0);
}

void BindCheckerPanel::paintVerdict()
{
    if (!m_canBind)
        return;
    const StatusColors colors = statusColors(palette());
    QPalette verdictPalette = m_verdict->palette();
    verdictPalette.setColor(QPalette::WindowText, *m_canBind ? colors.good : colors.bad);
    m_verdict->setPalette(verdictPalette);
}

void BindCheckerPanel::paintLink()
{
    // QLabel bakes the link colour into its text: set it again for a new palette.
    m_selectAll->setText(QStringLiteral("<a href='all' style='color:%1'>%2</a>")
                             .arg(palette().color(QPalette::Link).name(), tr("Select all")));
}

void BindCheckerPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        paintVerdict();
        paintLink();
    }
}

bool BindCheckerPanel::eventFilter(QObject *watched, QEvent *event)
{
    // Seen before the list handles the press, so itemPressed can tell whether
    // that press changed the selection.
    if (watched == m_blockers->viewport() && event->type() == QEvent::MouseButtonPress)
        m_selectionChangesAtPress = m_selectionChanges;
    return QWidget::eventFilter(watched, event);
}

void BindCheckerPanel::focusOn(const QList<std::uint64_t> &cookies)
{
    if (!cookies.isEmpty())
        Q_EMIT focusRequested(m_port, cookies);
}

void BindCheckerPanel::setBusy(bool busy)
{
    m_busy = busy;
    m_form->setBusy(busy || m_request != 0);
    m_recheck->setEnabled(!busy && m_request == 0 && !m_lastLine.isEmpty());
}

} // namespace sockscope
