// SPDX-License-Identifier: GPL-3.0-or-later
#include "windows/labplacement.h"

#include "netns/namespacescope.h"
#include "session/labsession.h"
#include "sources/namespacesources.h"

namespace sockscope {

LabPlacement::LabPlacement(LabSession *session, QObject *parent)
    : QObject(parent), m_session(session), m_labLabel(namespaceLabel(NetworkNamespace{}))
{
    connect(m_session, &LabSession::networkNamespaceChanged, this, &LabPlacement::onMoved);
    // Once the lab has nothing open any more, it may follow the tab in front.
    connect(m_session, &LabSession::openObjectsChanged, this, [this](int open) {
        if (open == 0 && !m_shownKey.isEmpty() && m_shownKey != m_labKey)
            follow(m_shownKey, m_shownLabel);
    });
}

void LabPlacement::remember(const QString &key, const NetworkNamespace &ns)
{
    m_namespaces.insert(key, ns);
}

void LabPlacement::follow(const QString &key, const QString &label)
{
    m_shownKey = key;
    m_shownLabel = label;
    const auto found = m_namespaces.constFind(key);
    const QString own = namespaceLabel(NetworkNamespace{});
    const QString target = found == m_namespaces.cend() || !found->chosen() ? own : label;
    const bool elsewhere = found == m_namespaces.cend() || target != m_labLabel;
    // What the lab has open stays where it is: looking at another tab must
    // not close it. The user moves the lab on purpose (moveHere).
    if (elsewhere && !m_labKey.isEmpty() && m_session->openObjects() > 0) {
        holdWhereItIs(found != m_namespaces.cend(), label);
        return;
    }
    m_movable = false;
    m_closedNote.clear();
    if (found == m_namespaces.cend()) {
        m_enabled = false;
        m_where = tr("The lab acts on this machine only: its sockets would not show in %1. Pick "
                     "\"%2\" in the toolbar to use it.")
                      .arg(label, own);
    } else if (!found->chosen()) {
        m_enabled = true;
        m_where.clear();
    } else if (auto trial = NamespaceScope::enter(*found); !trial) {
        // The lab stays where it is; its sockets would not show here.
        m_enabled = false;
        m_where = tr("The lab cannot act in %1: %2. Pick \"%3\" in the toolbar to use it there.")
                      .arg(label, trial.error().message, own);
    } else {
        m_enabled = true;
        m_where = tr("The lab acts in %1: its listeners, clients, server processes, bind checks "
                     "and scenarios are made there.")
                      .arg(label);
    }
    if (found != m_namespaces.cend() && (m_enabled || !found->chosen())) {
        if (target != m_labLabel) {
            m_movedFrom = m_labLabel;
            m_labLabel = target;
        }
        m_labKey = key;
        m_session->setNetworkNamespace(*found);
    }
    Q_EMIT changed(m_enabled, notice());
}

void LabPlacement::holdWhereItIs(bool movable, const QString &shown)
{
    const int open = m_session->openObjects();
    const QString objects = open == 1 ? tr("1 object") : tr("%1 objects").arg(open);
    m_enabled = true; // it still acts, where its objects are
    m_movable = movable;
    m_closedNote.clear();
    // With the link the label reads rich text (Qt::AutoText): the names are escaped then.
    const auto name = [movable](const QString &text) {
        return movable ? text.toHtmlEscaped() : text;
    };
    m_where = tr("The lab acts in %1, where it has %2 open; %3 is shown: the lab's sockets and "
                 "events are in %1's tab.")
                  .arg(name(m_labLabel), objects, name(shown));
    if (movable)
        m_where += QLatin1Char(' ') +
                   tr("<a href=\"move\">Move the lab to %1</a> (closes them).").arg(name(shown));
    Q_EMIT changed(m_enabled, notice());
}

void LabPlacement::moveHere()
{
    if (!m_movable || m_shownKey.isEmpty())
        return;
    const auto found = m_namespaces.constFind(m_shownKey);
    if (found == m_namespaces.cend())
        return;
    const QString target = found->chosen() ? m_shownLabel : namespaceLabel(NetworkNamespace{});
    if (found->chosen()) {
        if (auto trial = NamespaceScope::enter(*found); !trial) {
            m_movable = false;
            m_where = tr("The lab cannot act in %1: %2.").arg(m_shownLabel, trial.error().message);
            Q_EMIT changed(m_enabled, notice());
            return;
        }
    }
    m_movable = false;
    m_movedFrom = m_labLabel;
    m_labLabel = target;
    m_labKey = m_shownKey;
    m_where = found->chosen() ? tr("The lab acts in %1: its listeners, clients, server processes, "
                                   "bind checks and scenarios are made there.")
                                    .arg(m_shownLabel)
                              : QString();
    m_session->setNetworkNamespace(*found);
    Q_EMIT changed(m_enabled, notice());
}

void LabPlacement::onMoved(const QString &, int closed)
{
    if (closed <= 0)
        return;
    const QString objects = closed == 1 ? tr("1 object") : tr("%1 objects").arg(closed);
    m_closedNote =
        tr("When the lab moved, it closed the %1 it had open in %2.").arg(objects, m_movedFrom);
    Q_EMIT changed(m_enabled, notice());
}

QString LabPlacement::notice() const
{
    if (m_closedNote.isEmpty())
        return m_where;
    return m_where.isEmpty() ? m_closedNote : m_where + QLatin1Char(' ') + m_closedNote;
}

} // namespace sockscope
