// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "console/consoleanswer.h"
#include "console/consolecommand.h"
#include "netns/networknamespace.h"

#include <memory>
#include <optional>
#include <QObject>
#include <QString>

namespace sockscope {

class Lab;
struct LabEvent;

// The lab console: owns a Lab and turns one command line into one answer
// (docs/lab-console.md has the grammar). Runs in the thread that owns it; the
// event loop must run between commands (the lab's event-loop listeners and
// clients live on it), and commands that wait (`wait`, `sleep`) run it
// themselves. Not re-entrant: a command arriving while one runs answers EBUSY.
class LabConsole : public QObject
{
    Q_OBJECT
public:
    // serverExecutable: the sockscope binary, for `server` (sockscope __lab-server).
    // ns: the network namespace every command acts in (see Lab); none chosen:
    // the calling thread's.
    explicit LabConsole(QString serverExecutable, NetworkNamespace ns = {},
                        QObject *parent = nullptr);
    // Closes everything the lab opened, gracefully.
    ~LabConsole() override;

    // nullopt for a blank line or a comment; otherwise the answer. Bad lines
    // answer EINVAL with what was wrong and the command's form.
    std::optional<ConsoleAnswer> execute(const QString &line);
    ConsoleAnswer execute(const ConsoleCommand &command);

    // Set once `quit` ran: the caller stops reading and calls closeAll().
    bool quitRequested() const { return m_quit; }
    void closeAll();
    Lab &lab() { return *m_lab; }

private:
    ConsoleAnswer dispatch(const ConsoleCommand &command);
    ConsoleAnswer listen(const ConsoleCommand &command);
    ConsoleAnswer closeListener(const ConsoleCommand &command);
    ConsoleAnswer rebind(const ConsoleCommand &command);
    ConsoleAnswer setAcceptMode(const ConsoleCommand &command);
    ConsoleAnswer connect(const ConsoleCommand &command);
    ConsoleAnswer actOnClients(const ConsoleCommand &command);
    ConsoleAnswer startServer(const ConsoleCommand &command);
    ConsoleAnswer killServer(const ConsoleCommand &command);
    ConsoleAnswer status(const ConsoleCommand &command);
    ConsoleAnswer list();
    ConsoleAnswer help();
    // A lab Error as an answer, with the Explanation the lab emitted for it.
    ConsoleAnswer labFailure(const Error &error, const QString &subject);
    // labFailure() for a command on one object, which keeps it as its last answer.
    ConsoleAnswer objectFailure(const Error &error, const QString &id);
    // Adds the object's current status to the answer (nothing for an unknown id).
    void noteCurrent(ConsoleAnswer &answer, const QString &id) const;
    void noteEvent(const LabEvent &event);

    std::unique_ptr<Lab> m_lab;
    std::optional<Explanation> m_lastFailure; // from labEvent, during one command
    bool m_busy = false;
    bool m_quit = false;
};

} // namespace sockscope
