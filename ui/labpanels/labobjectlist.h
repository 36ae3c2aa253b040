// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "console/consoleanswer.h"

#include <QHash>
#include <QSet>
#include <QWidget>

class QPushButton;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace sockscope {

// Every lab object the answers named (listeners with the connections they
// accepted under them, clients, server processes), each with its own last
// answer (failures included), and buttons that act on the selected ones, each
// enabled only when its action is valid for them. Clients fired together are
// grouped under their range ("C1..C50"). The buttons only build console lines
// (commandRequested); the panel submits them.
class LabObjectList : public QWidget
{
    Q_OBJECT
public:
    enum class Action
    {
        CloseNaive,
        CloseGraceful,
        Rebind,
        ToggleAccept,
        CloseClient,
        ShutdownClient,
        ResetClient,
        KillTerm,
        KillKill,
    };

    explicit LabObjectList(QWidget *parent = nullptr);

    // Adds the objects of answer.ids that are new (and selects them: the next
    // action most likely acts on them) and shows the answer on each.
    void noteAnswer(const ConsoleAnswer &answer);
    // The console lines `action` would submit for the current selection (the
    // selected objects it is valid for).
    QStringList commandsFor(Action action) const;
    // Selects these objects (ids like "L1", "C3"), nothing else.
    void selectIds(const QStringList &ids);
    // Pids of the server processes whose last answer said "running".
    QSet<int> runningServerPids() const;
    void setBusy(bool busy);
    // Forgets every object: the lab they belonged to was closed (it moved to
    // another network namespace). The next lab counts from L1 again.
    void clear();

    QTreeWidget *tree() const { return m_tree; }
    QPushButton *button(Action action) const { return m_buttons.value(action); }
    // The item of one object, or nullptr.
    QTreeWidgetItem *itemOf(const QString &id) const { return m_items.value(id); }

Q_SIGNALS:
    void commandRequested(const QString &line);

private:
    QTreeWidgetItem *category(QChar kind) const;
    QTreeWidgetItem *addObject(const QString &id, QTreeWidgetItem *parent);
    QTreeWidgetItem *parentFor(const QString &id) const;
    void showLine(QTreeWidgetItem *item, const QString &line, bool ok, const QString &state);
    // The selected objects of one kind ('L', 'C' for clients and accepted
    // connections, 'P'), and those of them `action` is valid for.
    QStringList selectedIds(QChar kind) const;
    QStringList validIds(Action action) const;
    QString whyNot(Action action) const;
    void addButton(Action action, const QString &text, const QString &objectName);
    void trigger(Action action);
    void updateButtons();

    QTreeWidget *m_tree;
    QTreeWidgetItem *m_listeners;
    QTreeWidgetItem *m_clients;
    QTreeWidgetItem *m_servers;
    QHash<QString, QTreeWidgetItem *> m_items;
    QHash<Action, QPushButton *> m_buttons;
    QStackedWidget *m_pages = nullptr; // the buttons of one kind of object
    QHash<QChar, int> m_pageOf;        // 'L', 'C', 'P' -> page
    bool m_busy = false;
};

} // namespace sockscope
