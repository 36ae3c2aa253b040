// SPDX-License-Identifier: GPL-3.0-or-later
#include "labpanels/labobjectlist.h"

#include "console/consoletokens.h"
#include "labpanels/labactions.h"

#include <algorithm>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sockscope {

namespace {

enum Role
{
    IdRole = Qt::UserRole + 1, // "L1", or "C1..C50" for a group
    MembersRole,               // a group's client ids
    AcceptRole,                // a listener's accept mode, from its last answer
    ResumeRole,                // the mode "Resume accept" goes back to
    PidRole,                   // a server's pid
    RunningRole,               // a server's last answer said "running"
    StateRole,                 // ObjectLine::state from its last answer; empty: unknown
};

// "C12" -> {"C", 12}; "L1.2" (a connection L1 accepted) -> {"L1.", 2}.
std::pair<QString, int> stemAndNumber(const QString &id)
{
    qsizetype digits = id.size();
    while (digits > 0 && id.at(digits - 1).isDigit())
        --digits;
    return {id.left(digits), id.mid(digits).toInt()};
}

bool idLess(const QString &a, const QString &b)
{
    return stemAndNumber(a) < stemAndNumber(b);
}

// "C1..C5", "C7", "L1.1..L1.3": one console range per run of consecutive ids.
QStringList idRanges(QStringList ids)
{
    std::sort(ids.begin(), ids.end(), idLess);
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    const auto follows = [](const QString &next, const QString &previous) {
        const auto [stem, number] = stemAndNumber(previous);
        return stemAndNumber(next) == std::pair(stem, number + 1);
    };
    QStringList ranges;
    for (qsizetype i = 0; i < ids.size();) {
        qsizetype j = i;
        while (j + 1 < ids.size() && follows(ids[j + 1], ids[j]))
            ++j;
        ranges << (i == j ? ids[i] : ids[i] + QStringLiteral("..") + ids[j]);
        i = j + 1;
    }
    return ranges;
}

char kindOf(const QString &id)
{
    if (id.startsWith(QLatin1Char('P')))
        return 'P';
    return isListenerId(id) ? 'L' : 'C';
}

} // namespace

LabObjectList::LabObjectList(QWidget *parent) : QWidget(parent), m_tree(new QTreeWidget(this))
{
    m_tree->setObjectName(QStringLiteral("labObjects"));
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Object"), tr("Last answer")});
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setUniformRowHeights(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setToolTip(tr("Double-click an object to ask the lab for its status"));
    const auto addCategory = [this](const QString &title) {
        auto *item = new QTreeWidgetItem(m_tree, {title});
        item->setFlags(Qt::ItemIsEnabled);
        item->setFirstColumnSpanned(true);
        item->setHidden(true); // until it holds an object
        return item;
    };
    m_listeners = addCategory(tr("Listeners"));
    m_clients = addCategory(tr("Clients"));
    m_servers = addCategory(tr("Server processes"));
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &LabObjectList::updateButtons);
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem *item) {
        const QString id = item->data(0, IdRole).toString();
        if (!m_busy && !id.isEmpty() && !id.contains(QLatin1String("..")))
            Q_EMIT commandRequested(QStringLiteral("status ") + id);
    });

    // One page of buttons per kind of object, the selected kind's shown: four
    // rows of buttons for every kind would leave the list itself three rows.
    m_pages = new QStackedWidget(this);
    m_pages->setObjectName(QStringLiteral("labObjectActions"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_pages);
    const auto page = [this](QChar kind, const QString &label, QList<QList<Action>> rows) {
        auto *widget = new QWidget(m_pages);
        auto *grid = new QGridLayout(widget);
        grid->setContentsMargins(0, 0, 0, 0);
        grid->setHorizontalSpacing(4);
        grid->setVerticalSpacing(4);
        // The label above the buttons, not beside them: side by side they were
        // wider than the dock a 1280-pixel screen leaves.
        grid->addWidget(new QLabel(label, widget), 0, 0, 1, 4);
        for (int r = 0; r < rows.size(); ++r) {
            for (int c = 0; c < rows[r].size(); ++c)
                grid->addWidget(m_buttons.value(rows[r][c]), r + 1, c);
        }
        grid->setColumnStretch(3, 1);
        m_pageOf.insert(kind, m_pages->addWidget(widget));
    };
    addButton(Action::CloseNaive, tr("Close (naive)"), QStringLiteral("closeNaiveButton"));
    addButton(Action::CloseGraceful, tr("Close (graceful)"), QStringLiteral("closeGracefulButton"));
    addButton(Action::Rebind, tr("Rebind"), QStringLiteral("rebindButton"));
    addButton(Action::ToggleAccept, tr("Pause accept"), QStringLiteral("toggleAcceptButton"));
    addButton(Action::CloseClient, tr("Close"), QStringLiteral("closeClientButton"));
    addButton(Action::ShutdownClient, tr("Half-close"), QStringLiteral("shutdownClientButton"));
    addButton(Action::ResetClient, tr("Reset"), QStringLiteral("resetClientButton"));
    addButton(Action::KillTerm, tr("Kill (TERM)"), QStringLiteral("killTermButton"));
    addButton(Action::KillKill, tr("Kill (KILL)"), QStringLiteral("killKillButton"));
    page(QLatin1Char('L'), tr("Listener"),
         {{Action::CloseNaive, Action::CloseGraceful}, {Action::Rebind, Action::ToggleAccept}});
    page(QLatin1Char('C'), tr("Connection"),
         {{Action::CloseClient, Action::ShutdownClient, Action::ResetClient}});
    page(QLatin1Char('P'), tr("Server"), {{Action::KillTerm, Action::KillKill}});
    updateButtons();
}

void LabObjectList::addButton(Action action, const QString &text, const QString &objectName)
{
    auto *button = new QPushButton(text, this);
    button->setObjectName(objectName);
    button->setAutoDefault(false);
    connect(button, &QPushButton::clicked, this, [this, action] { trigger(action); });
    m_buttons.insert(action, button);
}

QTreeWidgetItem *LabObjectList::category(QChar kind) const
{
    return kind == QLatin1Char('L')   ? m_listeners
           : kind == QLatin1Char('C') ? m_clients
                                      : m_servers;
}

QTreeWidgetItem *LabObjectList::addObject(const QString &id, QTreeWidgetItem *parent)
{
    auto *item = new QTreeWidgetItem(parent, {id});
    item->setData(0, IdRole, id);
    m_items.insert(id, item);
    category(id.at(0))->setHidden(false);
    category(id.at(0))->setExpanded(true);
    parent->setExpanded(true);
    return item;
}

QTreeWidgetItem *LabObjectList::parentFor(const QString &id) const
{
    // A connection a listener accepted lives under it (L1.2 under L1).
    const qsizetype dot = id.indexOf(QLatin1Char('.'));
    if (dot > 0) {
        if (QTreeWidgetItem *listener = m_items.value(id.left(dot)))
            return listener;
    }
    return category(id.at(0));
}

void LabObjectList::noteAnswer(const ConsoleAnswer &answer)
{
    QStringList freshClients;
    QList<QTreeWidgetItem *> fresh;
    for (const QString &id : answer.ids) {
        if (m_items.contains(id) || id.isEmpty())
            continue;
        if (id.startsWith(QLatin1Char('C')))
            freshClients << id;
        else
            fresh << addObject(id, parentFor(id));
    }
    // Clients fired together stay together: one group to select, collapsed.
    if (freshClients.size() > 1) {
        const QString range = freshClients.first() + QStringLiteral("..") + freshClients.last();
        auto *group = new QTreeWidgetItem(m_clients, {range});
        group->setData(0, IdRole, range);
        group->setData(0, MembersRole, freshClients);
        showLine(group, answer.firstLine(), answer.ok, QString());
        for (const QString &id : std::as_const(freshClients))
            addObject(id, group);
        group->setExpanded(false);
        fresh << group;
    } else if (freshClients.size() == 1) {
        fresh << addObject(freshClients.first(), m_clients);
    }
    for (const QString &id : answer.ids) {
        QTreeWidgetItem *item = m_items.value(id);
        if (!item)
            continue;
        // Each object its own line; an answer that does not say one (older
        // callers) is the object's line as a whole.
        const auto object = answer.objects.constFind(id);
        if (object != answer.objects.cend())
            showLine(item, object->line, object->ok, object->state);
        else
            showLine(item, answer.firstLine(), answer.ok, QString());
        QTreeWidgetItem *parent = item->parent();
        if (parent && parent->data(0, MembersRole).toStringList() == answer.ids)
            showLine(parent, answer.firstLine(), answer.ok, QString());
    }
    // Made along (a listener's side of new connections): listed, not selected.
    for (auto it = answer.objects.cbegin(); it != answer.objects.cend(); ++it) {
        if (answer.ids.contains(it.key()))
            continue;
        QTreeWidgetItem *item = m_items.value(it.key());
        if (!item)
            item = addObject(it.key(), parentFor(it.key()));
        showLine(item, it->line, it->ok, it->state);
    }
    // What was just made is what the next action most likely acts on.
    if (!fresh.isEmpty()) {
        const QSignalBlocker blocker(m_tree);
        m_tree->clearSelection();
        for (QTreeWidgetItem *item : std::as_const(fresh))
            item->setSelected(true);
        m_tree->scrollToItem(fresh.last());
    }
    updateButtons();
}

void LabObjectList::showLine(QTreeWidgetItem *item, const QString &line, bool ok,
                             const QString &state)
{
    item->setText(1, line);
    item->setToolTip(1, line);
    item->setIcon(0, ok ? QIcon() : style()->standardIcon(QStyle::SP_MessageBoxWarning));
    if (!state.isEmpty())
        item->setData(0, StateRole, state);
    // A failure about one object must not rewrite what is known of it.
    if (!ok)
        return;
    const QString id = item->data(0, IdRole).toString();
    if (isListenerId(id)) {
        static const QRegularExpression acceptMode(QStringLiteral("\\baccept=(\\S+)"));
        if (const auto match = acceptMode.match(line); match.hasMatch()) {
            item->setData(0, AcceptRole, match.captured(1));
            if (match.captured(1) != QLatin1String("pause"))
                item->setData(0, ResumeRole, match.captured(1));
        }
    } else if (id.startsWith(QLatin1Char('P'))) {
        static const QRegularExpression server(QStringLiteral("\\bpid=(\\d+) (running|exited)"));
        if (const auto match = server.match(line); match.hasMatch()) {
            item->setData(0, PidRole, match.captured(1).toInt());
            item->setData(0, RunningRole, match.captured(2) == QLatin1String("running"));
        }
    }
}

QSet<int> LabObjectList::runningServerPids() const
{
    QSet<int> pids;
    for (int i = 0; i < m_servers->childCount(); ++i) {
        const QTreeWidgetItem *item = m_servers->child(i);
        if (item->data(0, RunningRole).toBool())
            pids.insert(item->data(0, PidRole).toInt());
    }
    return pids;
}

QStringList LabObjectList::selectedIds(QChar kind) const
{
    QStringList ids;
    for (const QTreeWidgetItem *item : m_tree->selectedItems()) {
        const QStringList members = item->data(0, MembersRole).toStringList();
        const QString id = item->data(0, IdRole).toString();
        if (!members.isEmpty() && kind == QLatin1Char('C'))
            ids << members;
        else if (members.isEmpty() && !id.isEmpty() && kindOf(id) == kind)
            ids << id;
    }
    std::sort(ids.begin(), ids.end(), idLess);
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

QStringList LabObjectList::validIds(Action action) const
{
    const ActionRule rule = ruleOf(action);
    QStringList ids;
    for (const QString &id : selectedIds(rule.kind)) {
        // Unknown state (an answer that did not say): let the lab decide.
        const QString state = m_items.value(id)->data(0, StateRole).toString();
        if (state.isEmpty() || rule.validStates.contains(state))
            ids << id;
    }
    return ids;
}

QStringList LabObjectList::commandsFor(Action action) const
{
    QStringList lines;
    switch (action) {
    case Action::CloseNaive:
    case Action::CloseGraceful:
    case Action::Rebind:
        for (const QString &id : validIds(action))
            lines << (action == Action::Rebind       ? QStringLiteral("rebind %1").arg(id)
                      : action == Action::CloseNaive ? QStringLiteral("close %1 naive").arg(id)
                                                     : QStringLiteral("close %1 graceful").arg(id));
        break;
    case Action::ToggleAccept: {
        const QStringList ids = validIds(action);
        // Resume only when every selected listener is paused; otherwise pause them all.
        const bool resume = !ids.isEmpty() && std::all_of(ids.begin(), ids.end(), [this](auto &id) {
            return m_items.value(id)->data(0, AcceptRole).toString() == QLatin1String("pause");
        });
        for (const QString &id : ids) {
            const QString back = m_items.value(id)->data(0, ResumeRole).toString();
            lines << QStringLiteral("accept %1 %2")
                         .arg(id, resume ? (back.isEmpty() ? QStringLiteral("auto") : back)
                                         : QStringLiteral("pause"));
        }
        break;
    }
    case Action::CloseClient:
    case Action::ShutdownClient:
    case Action::ResetClient: {
        const QString verb = action == Action::CloseClient      ? QStringLiteral("close")
                             : action == Action::ShutdownClient ? QStringLiteral("shutdown")
                                                                : QStringLiteral("reset");
        for (const QString &range : idRanges(validIds(action)))
            lines << verb + QLatin1Char(' ') + range;
        break;
    }
    case Action::KillTerm:
    case Action::KillKill:
        for (const QString &id : validIds(action))
            lines << QStringLiteral("kill %1 %2")
                         .arg(id, action == Action::KillTerm ? "term" : "kill");
        break;
    }
    return lines;
}

void LabObjectList::selectIds(const QStringList &ids)
{
    m_tree->clearSelection();
    for (const QString &id : ids) {
        if (QTreeWidgetItem *item = m_items.value(id)) {
            item->setSelected(true);
            m_tree->scrollToItem(item);
        }
    }
}

void LabObjectList::trigger(Action action)
{
    if (m_busy)
        return;
    for (const QString &line : commandsFor(action))
        Q_EMIT commandRequested(line);
}

void LabObjectList::clear()
{
    for (QTreeWidgetItem *kind : {m_listeners, m_clients, m_servers}) {
        qDeleteAll(kind->takeChildren());
        kind->setHidden(true);
    }
    m_items.clear();
    updateButtons();
}

void LabObjectList::setBusy(bool busy)
{
    m_busy = busy;
    updateButtons();
}

void LabObjectList::updateButtons()
{
    // The page of the object last clicked (or selected with it).
    const QTreeWidgetItem *current = m_tree->currentItem();
    if (!current || !current->isSelected())
        current = m_tree->selectedItems().value(0);
    const QString id = current ? current->data(0, IdRole).toString() : QString();
    if (!id.isEmpty())
        m_pages->setCurrentIndex(m_pageOf.value(QLatin1Char(kindOf(id))));
    const QStringList toggles = commandsFor(Action::ToggleAccept);
    const bool resume = !toggles.isEmpty() && !toggles.first().endsWith(QLatin1String(" pause"));
    m_buttons.value(Action::ToggleAccept)
        ->setText(resume ? tr("Resume accept") : tr("Pause accept"));
    for (auto it = m_buttons.cbegin(); it != m_buttons.cend(); ++it) {
        const QStringList lines = commandsFor(it.key());
        it.value()->setEnabled(!m_busy && !lines.isEmpty());
        QString why;
        if (m_busy)
            why = tr("Waits for the lab to answer the command before.");
        else if (!lines.isEmpty())
            why = tr("Runs: %1").arg(lines.join(QStringLiteral("; ")));
        else
            why = whyNot(it.key());
        it.value()->setToolTip(actionHelp(it.key(), resume) + QStringLiteral("\n\n") + why);
    }
}

QString LabObjectList::whyNot(Action action) const
{
    const ActionRule rule = ruleOf(action);
    const QStringList selected = selectedIds(rule.kind);
    if (selected.isEmpty())
        return tr("Select %1 in the list first.").arg(kindName(rule.kind));
    QStringList states;
    for (const QString &id : selected.mid(0, 3))
        states
            << QStringLiteral("%1 is %2").arg(id, m_items.value(id)->data(0, StateRole).toString());
    if (selected.size() > 3)
        states << QStringLiteral("...");
    return tr("Not now: %1. %2").arg(states.join(QStringLiteral(", ")), requirement(action));
}

} // namespace sockscope
