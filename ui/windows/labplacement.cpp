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
}

void LabPlacement::remember(const QString &key, const NetworkNamespace &ns)
{
    m_namespaces.insert(key, ns);
}

void LabPlacement::follow(const QString &key, const QString &label)
{
    const auto found = m_namespaces.constFind(key);
    const QString own = namespaceLabel(NetworkNamespace{});
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
        const QString target = found->chosen() ? label : own;
        if (target != m_labLabel) {
            m_movedFrom = m_labLabel;
            m_labLabel = target;
        }
        m_labKey = key;
        m_session->setNetworkNamespace(*found);
    }
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
