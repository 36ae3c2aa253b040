// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "netns/networknamespace.h"

#include <QHash>
#include <QObject>
#include <QString>

namespace sockscope {

class LabSession;

// Where the window's lab acts: in the network namespace the window shows, so
// that its listeners, clients, server processes, bind checks and scenarios
// show up in the tables. Follows MainWindow::sourceChanged (key, label) and
// moves the LabSession there when SockScope may enter it (root or
// CAP_SYS_ADMIN); otherwise, and for sources that are not a namespace of this
// machine (a server over ssh), the lab panels are off with the reason.
// A lab with objects open does not follow: it stays where they are (their
// events go to that tab) and its notice offers to move it (moveHere), which
// closes them; once it has nothing open it follows the tab in front again.
class LabPlacement : public QObject
{
    Q_OBJECT
public:
    LabPlacement(LabSession *session, QObject *parent = nullptr);

    // The namespace the source `key` shows (none chosen: SockScope's own):
    // what the lab moves to when that source becomes the current one.
    void remember(const QString &key, const NetworkNamespace &ns);
    // The window shows `key` now (MainWindow::sourceChanged).
    void follow(const QString &key, const QString &label);
    // Moves the lab, with what it has open, to the source shown (the notice's
    // link, when the lab stayed behind with objects open).
    void moveHere();
    // The source `key` was closed: a lab held there moves to the tab in front.
    void forget(const QString &key);

    bool labEnabled() const { return m_enabled; }
    // The source whose namespace the lab acts in: its tab logs the lab's events.
    const QString &labKey() const { return m_labKey; }
    // The line above the lab panels, rich text (names escaped, one link);
    // empty when there is nothing to say (the lab acts in SockScope's own
    // namespace and closed nothing).
    QString notice() const;

Q_SIGNALS:
    void changed(bool labEnabled, const QString &notice);

private:
    void onMoved(const QString &spec, int closed);
    void holdWhereItIs(bool movable, const QString &shown);
    static QString actsInText(const QString &label);

    LabSession *m_session;
    QHash<QString, NetworkNamespace> m_namespaces;
    bool m_enabled = true;
    QString m_where;      // what the lab acts in, or why it cannot act
    QString m_labKey;     // the source whose namespace the lab acts in
    QString m_labLabel;   // the label of the namespace the lab acts in
    QString m_movedFrom;  // the label it was asked to leave
    QString m_closedNote; // what the last move closed
    QString m_shownKey;   // the source in front
    QString m_shownLabel;
    bool m_movable = false; // the notice offers moveHere()
    bool m_held = false;    // the lab stays behind with its objects
};

} // namespace sockscope
