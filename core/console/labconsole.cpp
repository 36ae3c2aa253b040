// SPDX-License-Identifier: GPL-3.0-or-later
#include "console/labconsole.h"

#include "console/commandparser.h"
#include "console/consolegrammar.h"
#include "console/kernelcommands.h"
#include "console/labanswers.h"
#include "lab/lab.h"

#include <cerrno>

namespace sockscope {

using Verb = ConsoleCommand::Verb;

LabConsole::LabConsole(QString serverExecutable, QObject *parent)
    : QObject(parent), m_lab(std::make_unique<Lab>(std::move(serverExecutable)))
{
    QObject::connect(m_lab.get(), &Lab::labEvent, this, &LabConsole::noteEvent);
}

LabConsole::~LabConsole()
{
    closeAll();
}

void LabConsole::closeAll()
{
    m_lab->closeAll();
}

std::optional<ConsoleAnswer> LabConsole::execute(const QString &line)
{
    auto parsed = parseConsoleLine(line);
    if (!parsed)
        return ConsoleAnswer::failure(parsed.error());
    if (!*parsed)
        return std::nullopt;
    return execute(**parsed);
}

ConsoleAnswer LabConsole::execute(const ConsoleCommand &command)
{
    if (m_busy)
        return ConsoleAnswer::failure(
            Error{EBUSY, QStringLiteral("the previous command is still running")});
    m_busy = true;
    m_lastFailure.reset();
    ConsoleAnswer answer = dispatch(command);
    m_busy = false;
    return answer;
}

void LabConsole::noteEvent(const LabEvent &event)
{
    if (event.failure)
        m_lastFailure = event.failure;
}

ConsoleAnswer LabConsole::labFailure(const Error &error, const QString &subject)
{
    // Lab messages about an id ("no listener L7") already name it.
    const QString shown = error.message.contains(subject) ? QString() : subject;
    if (m_lastFailure && m_lastFailure->errnum == error.errnum)
        return ConsoleAnswer::failure(*m_lastFailure, shown);
    return ConsoleAnswer::failure(error, shown);
}

ConsoleAnswer LabConsole::dispatch(const ConsoleCommand &c)
{
    switch (c.verb) {
    case Verb::Listen:
        return listen(c);
    case Verb::Close:
        return c.ids.first().startsWith(QLatin1Char('L')) ? closeListener(c) : actOnClients(c);
    case Verb::Rebind:
        return rebind(c);
    case Verb::Accept:
        return setAcceptMode(c);
    case Verb::Connect:
        return connect(c);
    case Verb::Shutdown:
    case Verb::Reset:
        return actOnClients(c);
    case Verb::Server:
        return startServer(c);
    case Verb::Kill:
        return killServer(c);
    case Verb::Query:
        return status(c);
    case Verb::Check:
        return checkAddress(c.address, c.reuseAddr, c.reusePort);
    case Verb::Show:
        return showSockets(c.port);
    case Verb::Wait:
        return waitForState(c.state, *c.port, c.milliseconds, c.negate);
    case Verb::Sleep:
        return sleepFor(c.milliseconds);
    case Verb::Fds:
        return countDescriptors();
    case Verb::List:
        return list();
    case Verb::Help:
        return help();
    case Verb::Quit:
        m_quit = true;
        return ConsoleAnswer::success(QStringLiteral("bye"));
    }
    return ConsoleAnswer::failure(Error{EINVAL, QStringLiteral("unhandled command")});
}

ConsoleAnswer LabConsole::listen(const ConsoleCommand &c)
{
    auto result = m_lab->listen(c.listener);
    if (!result)
        return labFailure(result.error(), QString());
    ConsoleAnswer answer = ConsoleAnswer::success(listenerText(*result));
    answer.ids << result->id;
    return answer;
}

ConsoleAnswer LabConsole::closeListener(const ConsoleCommand &c)
{
    const QString &id = c.ids.first();
    auto result = m_lab->closeListener(id, c.stop);
    if (!result)
        return labFailure(result.error(), id);
    QString text = QStringLiteral("%1 closed %2").arg(id, stopModeName(c.stop));
    if (c.stop == StopMode::Naive && result->acceptThreadRunning)
        text += QStringLiteral(": the descriptor is closed but accept() still runs in its thread, "
                               "so the socket stays in LISTEN with no owner");
    else if (c.stop == StopMode::Graceful && result->spec.loop == AcceptLoop::Thread)
        text += QStringLiteral(": stop flag, shutdown, accept thread joined, descriptor closed");
    ConsoleAnswer answer = ConsoleAnswer::success(text);
    answer.ids << id;
    return answer;
}

ConsoleAnswer LabConsole::rebind(const ConsoleCommand &c)
{
    const QString &id = c.ids.first();
    auto result = m_lab->rebind(id);
    if (!result)
        return labFailure(result.error(), id);
    ConsoleAnswer answer = ConsoleAnswer::success(listenerText(*result) + QStringLiteral(" again"));
    answer.ids << id;
    return answer;
}

ConsoleAnswer LabConsole::setAcceptMode(const ConsoleCommand &c)
{
    const QString &id = c.ids.first();
    auto result = m_lab->setAcceptMode(id, c.accept);
    if (!result)
        return labFailure(result.error(), id);
    ConsoleAnswer answer = ConsoleAnswer::success(listenerText(*result));
    answer.ids << id;
    return answer;
}

ConsoleAnswer LabConsole::connect(const ConsoleCommand &c)
{
    auto result = m_lab->connect(c.client);
    if (!result)
        return labFailure(result.error(), QString());
    return connectAnswer(*result);
}

ConsoleAnswer LabConsole::actOnClients(const ConsoleCommand &c)
{
    int done = 0;
    std::optional<Error> firstError;
    QString firstFailedId;
    ClientStatus last;
    for (const QString &id : c.ids) {
        auto result = c.verb == Verb::Shutdown ? m_lab->shutdownClient(id)
                      : c.verb == Verb::Reset  ? m_lab->resetClient(id)
                                               : m_lab->closeClient(id);
        if (result) {
            ++done;
            last = *result;
        } else if (!firstError) {
            firstError = result.error();
            firstFailedId = id;
        }
    }
    if (done == 0)
        return labFailure(*firstError, firstFailedId);
    const QString verb = c.verb == Verb::Shutdown ? QStringLiteral("half-closed")
                         : c.verb == Verb::Reset  ? QStringLiteral("reset")
                                                  : QStringLiteral("closed");
    QString text = c.ids.size() == 1 ? clientText(last)
                                     : QStringLiteral("%1 %2 %3").arg(c.idText).arg(done).arg(verb);
    if (firstError) {
        text += QStringLiteral("; %1 not %2 (first %3: %4)")
                    .arg(c.ids.size() - done)
                    .arg(verb, firstFailedId, firstError->message);
    }
    ConsoleAnswer answer = ConsoleAnswer::success(text);
    answer.ids = c.ids;
    return answer;
}

ConsoleAnswer LabConsole::startServer(const ConsoleCommand &c)
{
    auto result = m_lab->startServer(c.server);
    if (!result)
        return labFailure(result.error(), QString());
    ConsoleAnswer answer = ConsoleAnswer::success(serverText(*result));
    answer.ids << result->id;
    return answer;
}

ConsoleAnswer LabConsole::killServer(const ConsoleCommand &c)
{
    const QString &id = c.ids.first();
    auto result = m_lab->killServer(id, c.signal);
    if (!result)
        return labFailure(result.error(), id);
    ConsoleAnswer answer = ConsoleAnswer::success(serverText(*result));
    answer.ids << id;
    return answer;
}

ConsoleAnswer LabConsole::status(const ConsoleCommand &c)
{
    const QString &id = c.ids.first();
    ConsoleAnswer answer;
    if (id.startsWith(QLatin1Char('P'))) {
        auto result = m_lab->serverStatus(id);
        if (!result)
            return labFailure(result.error(), id);
        answer = ConsoleAnswer::success(serverText(*result));
    } else if (id.startsWith(QLatin1Char('L'))) {
        const auto listeners = m_lab->listeners();
        const auto it = std::find_if(listeners.begin(), listeners.end(),
                                     [&id](const ListenerStatus &s) { return s.id == id; });
        if (it == listeners.end())
            return ConsoleAnswer::failure(Error{EINVAL, QStringLiteral("no listener %1").arg(id)});
        answer = ConsoleAnswer::success(listenerDetailText(*it));
    } else {
        const auto clients = m_lab->clients();
        const auto it = std::find_if(clients.begin(), clients.end(),
                                     [&id](const ClientStatus &s) { return s.id == id; });
        if (it == clients.end())
            return ConsoleAnswer::failure(Error{EINVAL, QStringLiteral("no client %1").arg(id)});
        answer = ConsoleAnswer::success(clientText(*it));
    }
    answer.ids << id;
    return answer;
}

ConsoleAnswer LabConsole::list()
{
    QStringList parts;
    for (const ListenerStatus &s : m_lab->listeners())
        parts << QStringLiteral("%1 %2 %3")
                     .arg(s.id, s.bound.text(s.spec.family), s.open ? "listening" : "closed");
    for (const ClientStatus &s : m_lab->clients()) {
        parts << QStringLiteral("%1 %2").arg(s.id, clientPhaseName(s.phase));
        if (s.failure)
            parts.last() += QLatin1Char(' ') + s.failure->errnoName;
    }
    for (const ServerStatus &s : m_lab->servers())
        parts << QStringLiteral("%1 pid=%2 %3")
                     .arg(s.id)
                     .arg(s.pid)
                     .arg(s.running ? "running" : "exited");
    return ConsoleAnswer::success(QStringLiteral("%1 objects%2%3")
                                      .arg(parts.size())
                                      .arg(parts.isEmpty() ? QString() : QStringLiteral(": "),
                                           parts.join(QStringLiteral("; "))));
}

ConsoleAnswer LabConsole::help()
{
    const QStringList grammar = consoleGrammar();
    ConsoleAnswer answer =
        ConsoleAnswer::success(QStringLiteral("%1 commands").arg(grammar.size()));
    answer.details = grammar;
    return answer;
}

} // namespace sockscope
