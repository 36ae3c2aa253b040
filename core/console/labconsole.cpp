// SPDX-License-Identifier: GPL-3.0-or-later
#include "console/labconsole.h"

#include "console/commandparser.h"
#include "console/consolegrammar.h"
#include "console/consoletokens.h"
#include "console/kernelcommands.h"
#include "console/labanswers.h"
#include "lab/lab.h"
#include "netns/namespacescope.h"

#include <cerrno>

namespace sockscope {

using Verb = ConsoleCommand::Verb;

LabConsole::LabConsole(QString serverExecutable, NetworkNamespace ns, QObject *parent)
    : QObject(parent), m_lab(std::make_unique<Lab>(std::move(serverExecutable), std::move(ns)))
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

namespace {
// Qt's number parsing stops at a NUL as C does ("90\0" + "0" reads as 90), and
// the address parser hands inet_pton() a C string: a control character would
// quietly cut a value short. Whitespace separates words and stays allowed.
std::optional<Error> controlCharacterIn(const QString &line)
{
    const qsizetype comment = line.indexOf(QLatin1Char('#'));
    const QString command = comment < 0 ? line : line.left(comment);
    for (qsizetype i = 0; i < command.size(); ++i) {
        const QChar c = command.at(i);
        if (c.category() == QChar::Other_Control && !c.isSpace()) {
            return Error{EINVAL, QStringLiteral("the line holds the control character \\x%1 at "
                                                "column %2: type commands as plain text")
                                     .arg(c.unicode(), 2, 16, QLatin1Char('0'))
                                     .arg(i + 1)};
        }
    }
    return std::nullopt;
}
} // namespace

std::optional<ConsoleAnswer> LabConsole::execute(const QString &line)
{
    if (const auto control = controlCharacterIn(line))
        return ConsoleAnswer::failure(*control);
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
    // The kernel commands (show, wait, check) read the lab's namespace too.
    const auto scope = NamespaceScope::enter(m_lab->networkNamespace());
    if (!scope)
        return ConsoleAnswer::failure(scope.error());
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

ConsoleAnswer LabConsole::objectFailure(const Error &error, const QString &id)
{
    ConsoleAnswer answer = labFailure(error, id);
    // The failure is the object's last answer, with its state as it is now.
    noteCurrent(answer, id);
    noteFailure(answer, id, answer);
    return answer;
}

void LabConsole::noteCurrent(ConsoleAnswer &answer, const QString &id) const
{
    if (id.startsWith(QLatin1Char('P'))) {
        if (auto server = m_lab->serverStatus(id))
            noteObject(answer, *server);
    } else if (isListenerId(id)) {
        for (const ListenerStatus &listener : m_lab->listeners()) {
            if (listener.id == id)
                noteObject(answer, listener);
        }
    } else if (auto client = m_lab->clientStatus(id)) {
        noteObject(answer, *client);
    }
}

ConsoleAnswer LabConsole::dispatch(const ConsoleCommand &c)
{
    switch (c.verb) {
    case Verb::Listen:
        return listen(c);
    case Verb::Close:
        return isListenerId(c.ids.first()) ? closeListener(c) : actOnClients(c);
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
    noteObject(answer, *result);
    return answer;
}

ConsoleAnswer LabConsole::closeListener(const ConsoleCommand &c)
{
    const QString &id = c.ids.first();
    const QList<ListenerStatus> before = m_lab->listeners();
    const bool wasOpen = std::any_of(before.begin(), before.end(), [&id](const ListenerStatus &s) {
        return s.id == id && s.open;
    });
    auto result = m_lab->closeListener(id, c.stop);
    if (!result)
        return objectFailure(result.error(), id);
    return listenerCloseAnswer(*result, c.stop, !wasOpen && c.stop == StopMode::Graceful);
}

ConsoleAnswer LabConsole::rebind(const ConsoleCommand &c)
{
    const QString &id = c.ids.first();
    auto result = m_lab->rebind(id);
    if (!result)
        return objectFailure(result.error(), id);
    ConsoleAnswer answer = ConsoleAnswer::success(listenerText(*result) + QStringLiteral(" again"));
    noteObject(answer, *result);
    return answer;
}

ConsoleAnswer LabConsole::setAcceptMode(const ConsoleCommand &c)
{
    const QString &id = c.ids.first();
    auto result = m_lab->setAcceptMode(id, c.accept);
    if (!result)
        return objectFailure(result.error(), id);
    ConsoleAnswer answer = ConsoleAnswer::success(listenerText(*result));
    noteObject(answer, *result);
    return answer;
}

ConsoleAnswer LabConsole::connect(const ConsoleCommand &c)
{
    QMap<QString, qsizetype> acceptedBefore;
    for (const ListenerStatus &listener : m_lab->listeners())
        acceptedBefore.insert(listener.id, listener.connections.size());
    auto result = m_lab->connect(c.client);
    if (!result)
        return labFailure(result.error(), QString());
    ConsoleAnswer answer = connectAnswer(*result);
    // The lab's own listeners accepted some of them meanwhile: their side.
    for (const ListenerStatus &listener : m_lab->listeners()) {
        for (const ClientStatus &accepted :
             listener.connections.mid(acceptedBefore.value(listener.id)))
            noteMadeAlong(answer, accepted);
    }
    return answer;
}

ConsoleAnswer LabConsole::actOnClients(const ConsoleCommand &c)
{
    int done = 0;
    std::optional<Error> firstError;
    QString firstFailedId;
    std::optional<ClientStatus> last;
    // Each failure with its own explanation: m_lastFailure only keeps the last.
    QMap<QString, std::pair<Error, std::optional<Explanation>>> failures;
    const auto failureOf = [this, &failures](const QString &id) {
        m_lastFailure = failures.value(id).second;
        return labFailure(failures.value(id).first, id);
    };
    for (const QString &id : c.ids) {
        m_lastFailure.reset();
        auto result = c.verb == Verb::Shutdown ? m_lab->shutdownClient(id)
                      : c.verb == Verb::Reset  ? m_lab->resetClient(id)
                                               : m_lab->closeClient(id);
        if (result) {
            ++done;
            last = *result;
        } else {
            failures.insert(id, {result.error(), m_lastFailure});
            if (!firstError) {
                firstError = result.error();
                firstFailedId = id;
            }
        }
    }
    ConsoleAnswer answer;
    if (done == 0) {
        answer = failureOf(firstFailedId);
    } else {
        const QString verb = c.verb == Verb::Shutdown ? QStringLiteral("half-closed")
                             : c.verb == Verb::Reset  ? QStringLiteral("reset")
                                                      : QStringLiteral("closed");
        QString text = c.ids.size() == 1
                           ? clientText(*last)
                           : QStringLiteral("%1 %2 %3").arg(c.idText).arg(done).arg(verb);
        if (firstError) {
            text += QStringLiteral("; %1 not %2 (first %3: %4)")
                        .arg(c.ids.size() - done)
                        .arg(verb, firstFailedId, firstError->message);
        }
        answer = ConsoleAnswer::success(text);
    }
    // Each as it is now, the ones that failed included (closed by their peer
    // meanwhile, or never connected).
    for (const QString &id : c.ids) {
        noteCurrent(answer, id);
        if (failures.contains(id))
            noteFailure(answer, id, failureOf(id));
    }
    return answer;
}

ConsoleAnswer LabConsole::startServer(const ConsoleCommand &c)
{
    auto result = m_lab->startServer(c.server);
    if (!result)
        return labFailure(result.error(), QString());
    ConsoleAnswer answer = ConsoleAnswer::success(serverText(*result));
    noteObject(answer, *result);
    return answer;
}

ConsoleAnswer LabConsole::killServer(const ConsoleCommand &c)
{
    const QString &id = c.ids.first();
    auto result = m_lab->killServer(id, c.signal);
    if (!result)
        return objectFailure(result.error(), id);
    ConsoleAnswer answer = ConsoleAnswer::success(serverText(*result));
    noteObject(answer, *result);
    return answer;
}

ConsoleAnswer LabConsole::status(const ConsoleCommand &c)
{
    const QString &id = c.ids.first();
    if (id.startsWith(QLatin1Char('P'))) {
        auto result = m_lab->serverStatus(id);
        if (!result)
            return labFailure(result.error(), id);
        ConsoleAnswer answer = ConsoleAnswer::success(serverText(*result));
        noteObject(answer, *result);
        return answer;
    }
    if (isListenerId(id)) {
        const auto listeners = m_lab->listeners();
        const auto it = std::find_if(listeners.begin(), listeners.end(),
                                     [&id](const ListenerStatus &s) { return s.id == id; });
        if (it == listeners.end())
            return ConsoleAnswer::failure(Error{EINVAL, QStringLiteral("no listener %1").arg(id)});
        ConsoleAnswer answer = ConsoleAnswer::success(listenerDetailText(*it));
        noteObject(answer, *it);
        // Its connections come along, so a list of objects learns of them.
        for (const ClientStatus &connection : it->connections)
            noteObject(answer, connection);
        return answer;
    }
    auto result = m_lab->clientStatus(id);
    if (!result)
        return labFailure(result.error(), id);
    ConsoleAnswer answer = ConsoleAnswer::success(clientText(*result));
    noteObject(answer, *result);
    return answer;
}

ConsoleAnswer LabConsole::list()
{
    return listAnswer(m_lab->listeners(), m_lab->clients(), m_lab->servers());
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
