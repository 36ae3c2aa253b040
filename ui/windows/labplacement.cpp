// SPDX-License-Identifier: GPL-3.0-or-later
#include "windows/labplacement.h"

#include "netns/namespacescope.h"
#include "session/labsession.h"
#include "sources/namespacesources.h"

namespace sockscope {

namespace {
// The notice is rich text (its link): names and messages go in escaped.
QString html(const QString &text)
{
    return text.toHtmlEscaped();
}
} // namespace

LabPlacement::LabPlacement(LabSession *session, QObject *parent)
    : QObject(parent), m_session(session), m_labLabel(namespaceLabel(NetworkNamespace{}))
{
    connect(m_session, &LabSession::networkNamespaceChanged, this, &LabPlacement::onMoved);
    // A lab held behind follows the tab in front once it has nothing open and
    // nothing under way; until then its notice keeps the count.
    const auto reconsider = [this] {
        if (!m_held)
            return;
        if (m_session->openObjects() == 0 && m_session->pending() == 0)
            follow(m_shownKey, m_shownLabel);
        else
            holdWhereItIs(m_movable, m_shownLabel);
    };
    connect(m_session, &LabSession::openObjectsChanged, this, reconsider);
    connect(m_session, &LabSession::busyChanged, this, reconsider);
}

void LabPlacement::forget(const QString &key)
{
    m_namespaces.remove(key);
    // Its objects live in a namespace no tab shows any more: closed with the move.
    if (key == m_labKey && m_held) {
        m_movable = true;
        moveHere();
    }
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
    // What the lab has open, or is opening, stays where it is: looking at
    // another tab must not close it. The user moves the lab on purpose (moveHere).
    if (elsewhere && !m_labKey.isEmpty() &&
        (m_session->openObjects() > 0 || m_session->pending() > 0)) {
        holdWhereItIs(found != m_namespaces.cend(), label);
        return;
    }
    m_held = false;
    m_movable = false;
    m_closedNote.clear();
    if (found == m_namespaces.cend()) {
        m_enabled = false;
        m_where = tr("The lab acts on this machine only: its sockets would not show in %1. Pick "
                     "\"%2\" in the toolbar to use it.")
                      .arg(html(label), html(own));
    } else if (!found->chosen()) {
        m_enabled = true;
        m_where.clear();
    } else if (auto trial = NamespaceScope::enter(*found); !trial) {
        // The lab stays where it is; its sockets would not show here.
        m_enabled = false;
        m_where = tr("The lab cannot act in %1: %2. Pick \"%3\" in the toolbar to use it there.")
                      .arg(html(label), html(trial.error().message), html(own));
    } else {
        m_enabled = true;
        m_where = actsInText(label);
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
    m_held = true;
    m_movable = movable;
    m_closedNote.clear();
    m_where = tr("The lab acts in %1, where it has %2 open; %3 is shown: the lab's sockets and "
                 "events are in %1's tab.")
                  .arg(html(m_labLabel), objects, html(shown));
    if (movable)
        m_where += QLatin1Char(' ') +
                   tr("<a href=\"move\">Move the lab to %1</a> (closes them).").arg(html(shown));
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
            m_where = tr("The lab cannot act in %1: %2.")
                          .arg(html(m_shownLabel), html(trial.error().message));
            Q_EMIT changed(m_enabled, notice());
            return;
        }
    }
    m_held = false;
    m_movable = false;
    m_movedFrom = m_labLabel;
    m_labLabel = target;
    m_labKey = m_shownKey;
    m_where = found->chosen() ? actsInText(m_shownLabel) : QString();
    m_session->setNetworkNamespace(*found);
    Q_EMIT changed(m_enabled, notice());
}

void LabPlacement::onMoved(const QString &, int closed)
{
    if (closed <= 0)
        return;
    const QString objects = closed == 1 ? tr("1 object") : tr("%1 objects").arg(closed);
    m_closedNote = tr("When the lab moved, it closed the %1 it had open in %2.")
                       .arg(objects, html(m_movedFrom));
    Q_EMIT changed(m_enabled, notice());
}

QString LabPlacement::actsInText(const QString &label)
{
    return tr("The lab acts in %1: its listeners, clients, server processes, bind checks and "
              "scenarios are made there.")
        .arg(html(label));
}

QString LabPlacement::notice() const
{
    if (m_closedNote.isEmpty())
        return m_where;
    return m_where.isEmpty() ? m_closedNote : m_where + QLatin1Char(' ') + m_closedNote;
}

} // namespace sockscope
