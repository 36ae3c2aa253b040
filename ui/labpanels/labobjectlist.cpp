// SPDX-License-Identifier: GPL-3.0-or-later
#include "labpanels/labobjectlist.h"

#include <algorithm>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
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
};

int numberOf(const QString &id)
{
    return id.mid(1).toInt();
}

// "C1..C5", "C7": one console range per run of consecutive clients.
QStringList clientRanges(QStringList ids)
{
    std::sort(ids.begin(), ids.end(),
              [](const QString &a, const QString &b) { return numberOf(a) < numberOf(b); });
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    QStringList ranges;
    for (qsizetype i = 0; i < ids.size();) {
        qsizetype j = i;
        while (j + 1 < ids.size() && numberOf(ids[j + 1]) == numberOf(ids[j]) + 1)
            ++j;
        ranges << (i == j ? ids[i] : ids[i] + QStringLiteral("..") + ids[j]);
        i = j + 1;
    }
    return ranges;
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

    auto *buttons = new QGridLayout;
    buttons->setHorizontalSpacing(4);
    buttons->setVerticalSpacing(4);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree, 1);
    layout->addLayout(buttons);
    const auto row = [this, buttons](int r, const QString &label, QList<Action> actions) {
        buttons->addWidget(new QLabel(label, this), r, 0);
        int column = 1;
        for (Action action : actions)
            buttons->addWidget(m_buttons.value(action), r, column++);
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
    row(0, tr("Listener"), {Action::CloseNaive, Action::CloseGraceful, Action::Rebind});
    row(1, QString(), {Action::ToggleAccept});
    row(2, tr("Client"), {Action::CloseClient, Action::ShutdownClient, Action::ResetClient});
    row(3, tr("Server"), {Action::KillTerm, Action::KillKill});
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
    return item;
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
            fresh << addObject(id, category(id.at(0)));
    }
    // Clients fired together stay together: one group to select, collapsed.
    if (freshClients.size() > 1) {
        const QString range = freshClients.first() + QStringLiteral("..") + freshClients.last();
        auto *group = new QTreeWidgetItem(m_clients, {range});
        group->setData(0, IdRole, range);
        group->setData(0, MembersRole, freshClients);
        showAnswer(group, answer);
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
        showAnswer(item, answer);
        QTreeWidgetItem *parent = item->parent();
        if (parent && parent->data(0, MembersRole).toStringList() == answer.ids)
            showAnswer(parent, answer);
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

void LabObjectList::showAnswer(QTreeWidgetItem *item, const ConsoleAnswer &answer)
{
    const QString line = answer.firstLine();
    item->setText(1, line);
    item->setToolTip(1, line);
    item->setIcon(0, answer.ok ? QIcon() : style()->standardIcon(QStyle::SP_MessageBoxWarning));
    // A failure about one object must not rewrite what is known of it.
    if (!answer.ok)
        return;
    const QString id = item->data(0, IdRole).toString();
    if (id.startsWith(QLatin1Char('L'))) {
        static const QRegularExpression acceptMode(QStringLiteral("\\baccept=(\\S+)"));
        if (const auto match = acceptMode.match(answer.text); match.hasMatch()) {
            item->setData(0, AcceptRole, match.captured(1));
            if (match.captured(1) != QLatin1String("pause"))
                item->setData(0, ResumeRole, match.captured(1));
        }
    } else if (id.startsWith(QLatin1Char('P'))) {
        static const QRegularExpression server(QStringLiteral("\\bpid=(\\d+) (running|exited)"));
        if (const auto match = server.match(answer.text); match.hasMatch()) {
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
        else if (members.isEmpty() && id.startsWith(kind))
            ids << id;
    }
    std::sort(ids.begin(), ids.end(),
              [](const QString &a, const QString &b) { return numberOf(a) < numberOf(b); });
    return ids;
}

QStringList LabObjectList::commandsFor(Action action) const
{
    QStringList lines;
    switch (action) {
    case Action::CloseNaive:
    case Action::CloseGraceful:
    case Action::Rebind:
        for (const QString &id : selectedIds(QLatin1Char('L')))
            lines << (action == Action::Rebind       ? QStringLiteral("rebind %1").arg(id)
                      : action == Action::CloseNaive ? QStringLiteral("close %1 naive").arg(id)
                                                     : QStringLiteral("close %1 graceful").arg(id));
        break;
    case Action::ToggleAccept: {
        const QStringList ids = selectedIds(QLatin1Char('L'));
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
        for (const QString &range : clientRanges(selectedIds(QLatin1Char('C'))))
            lines << verb + QLatin1Char(' ') + range;
        break;
    }
    case Action::KillTerm:
    case Action::KillKill:
        for (const QString &id : selectedIds(QLatin1Char('P')))
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

void LabObjectList::setBusy(bool busy)
{
    m_busy = busy;
    updateButtons();
}

void LabObjectList::updateButtons()
{
    const QStringList toggles = commandsFor(Action::ToggleAccept);
    const bool resume = !toggles.isEmpty() && !toggles.first().endsWith(QLatin1String(" pause"));
    m_buttons.value(Action::ToggleAccept)
        ->setText(resume ? tr("Resume accept") : tr("Pause accept"));
    for (auto it = m_buttons.cbegin(); it != m_buttons.cend(); ++it) {
        const QStringList lines = commandsFor(it.key());
        it.value()->setEnabled(!m_busy && !lines.isEmpty());
        it.value()->setToolTip(
            lines.isEmpty()
                ? tr("Select lab objects in the list first")
                : tr("Runs the console command(s): %1").arg(lines.join(QStringLiteral("; "))));
    }
}

} // namespace sockscope
