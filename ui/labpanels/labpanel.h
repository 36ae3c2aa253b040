// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Declares the ConsoleAnswer metatype our signals carry (before moc instantiates it).
#include "session/labsession.h"

#include <cstdint>
#include <optional>
#include <QMap>
#include <QSet>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;

namespace sockscope {

class AnswerView;
class ClientForm;
class LabObjectList;
class ListenerForm;
class ServerForm;

// The lab at the mouse: forms for listeners, clients and server processes,
// the objects they made with buttons acting on them, a free console line, and
// the transcript of commands and answers. Every action is a console line run
// through the LabSession (on the lab's thread), shown as typed so the GUI
// teaches the console. While the lab is busy the action buttons are disabled;
// the window stays responsive.
class LabPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LabPanel(LabSession *session, QWidget *parent = nullptr);

    // Submits a console line as if typed in the console box; returns the
    // request id, or 0 for a blank line.
    std::uint64_t run(const QString &line);
    // Our own pid and the pids of the server processes still running: the
    // processes whose sockets are the lab's.
    QSet<int> labPids() const;
    bool waiting() const { return !m_pending.isEmpty(); }

    ListenerForm *listenerForm() const { return m_listenerForm; }
    ClientForm *clientForm() const { return m_clientForm; }
    ServerForm *serverForm() const { return m_serverForm; }
    LabObjectList *objectList() const { return m_objects; }
    AnswerView *answerView() const { return m_answers; }
    QLineEdit *consoleEdit() const { return m_console; }
    // The forms' tabs: Listeners, Clients, Server processes.
    QTabWidget *formTabs() const { return m_forms; }
    QSize sizeHint() const override;

Q_SIGNALS:
    // "Select the responsible sockets": MainWindow::focusSockets takes these.
    void focusRequested(std::optional<std::uint16_t> port, const QList<std::uint64_t> &cookies);
    void labPidsChanged(const QSet<int> &pids);
    // One of this panel's commands was answered.
    void commandAnswered(const QString &line, const sockscope::ConsoleAnswer &answer);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onAnswered(std::uint64_t request, const QString &line, const ConsoleAnswer &answer);
    void setBusy(bool busy);
    void updateRunning();
    void runConsoleLine();
    // labPidsChanged when the server processes running changed.
    void notePids();

    LabSession *m_session;
    ListenerForm *m_listenerForm;
    ClientForm *m_clientForm;
    ServerForm *m_serverForm;
    QTabWidget *m_forms = nullptr;
    LabObjectList *m_objects;
    AnswerView *m_answers;
    QLabel *m_running;
    QLineEdit *m_console;
    QPushButton *m_run;
    QMap<std::uint64_t, QString> m_pending; // our requests not answered yet, oldest first
    QSet<int> m_lastPids;
    QStringList m_history; // console lines, for Up/Down
    qsizetype m_historyIndex = 0;
    bool m_busy = false;
};

} // namespace sockscope
