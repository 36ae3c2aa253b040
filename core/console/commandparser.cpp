// SPDX-License-Identifier: GPL-3.0-or-later
#include "console/commandparser.h"

#include "console/consolegrammar.h"
#include "console/consoletokens.h"
#include "console/specparsers.h"
#include "util/quotedvalue.h"

#include <cerrno>
#include <QRegularExpression>

namespace sockscope {

namespace {

using Verb = ConsoleCommand::Verb;

Status parseClose(ConsoleTokens &t, ConsoleCommand &c)
{
    auto ids = parseIds(t, QStringLiteral("LC"), true);
    if (!ids)
        return ids.error();
    c.ids = *ids;
    const bool listener = isListenerId(c.ids.first());
    if (listener && c.ids.size() > 1)
        return t.error(QStringLiteral("close one listener at a time"));
    if (t.atEnd())
        return Ok{};
    const QString mode = t.take().toLower();
    if (!listener)
        return t.error(QStringLiteral("%1 applies to listeners only").arg(quotedValue(mode)));
    if (mode == QLatin1String("naive"))
        c.stop = StopMode::Naive;
    else if (mode != QLatin1String("graceful"))
        return t.error(QStringLiteral("close takes naive or graceful"));
    return Ok{};
}

Status parseWait(ConsoleTokens &t, ConsoleCommand &c)
{
    auto name = t.word(QStringLiteral("STATE"));
    if (!name)
        return name.error();
    if (name->compare(QLatin1String("not"), Qt::CaseInsensitive) == 0) {
        c.negate = true;
        name = t.word(QStringLiteral("STATE"));
        if (!name)
            return name.error();
    }
    const auto state = tcpStateFromName(*name);
    if (!state || *state == TcpState::Unknown)
        return t.error(QStringLiteral("unknown state %1: use LISTEN, SYN_SENT, SYN_RECV, "
                                      "ESTABLISHED, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, "
                                      "CLOSE_WAIT, LAST_ACK or CLOSING")
                           .arg(quotedValue(*name)));
    c.state = *state;
    auto port = t.number(QStringLiteral("PORT"), 1, 65535);
    if (!port)
        return port.error();
    c.port = static_cast<std::uint16_t>(*port);
    if (!t.atEnd()) {
        auto timeout = t.number(QStringLiteral("TIMEOUT_MS"), 0, 600000);
        if (!timeout)
            return timeout.error();
        c.milliseconds = *timeout;
    }
    return Ok{};
}

Status parseArguments(ConsoleTokens &t, ConsoleCommand &c)
{
    switch (c.verb) {
    case Verb::Listen:
        return parseListenSpec(t, c.listener);
    case Verb::Connect:
        return parseClientSpec(t, c.client);
    case Verb::Server:
        return parseServerSpec(t, c.server);
    case Verb::Close:
        return parseClose(t, c);
    case Verb::Wait:
        return parseWait(t, c);
    case Verb::Rebind:
    case Verb::Accept: {
        auto ids = parseIds(t, QStringLiteral("L"), false);
        if (!ids)
            return ids.error();
        c.ids = *ids;
        if (c.verb == Verb::Accept) {
            const auto mode = acceptModeFromName(t.take());
            if (!mode)
                return t.error(QStringLiteral("accept takes auto, pause, close or hold"));
            c.accept = *mode;
        }
        return Ok{};
    }
    case Verb::Shutdown:
    case Verb::Reset: {
        auto ids = parseIds(t, QStringLiteral("C"), true);
        if (!ids)
            return ids.error();
        c.ids = *ids;
        return Ok{};
    }
    case Verb::Kill: {
        auto ids = parseIds(t, QStringLiteral("P"), false);
        if (!ids)
            return ids.error();
        c.ids = *ids;
        if (t.atEnd())
            return Ok{};
        const QString signal = t.take().toLower();
        if (signal == QLatin1String("kill"))
            c.signal = SIGKILL;
        else if (signal != QLatin1String("term"))
            return t.error(QStringLiteral("kill takes term or kill"));
        return Ok{};
    }
    case Verb::Query: {
        auto ids = parseIds(t, QStringLiteral("LCP"), false);
        if (!ids)
            return ids.error();
        c.ids = *ids;
        return Ok{};
    }
    case Verb::Check: {
        auto address = t.address(QStringLiteral("address"));
        if (!address)
            return address.error();
        c.address = *address;
        return t.options([&c](const QString &key) -> Result<bool> {
            return reuseFlag(key, c.reuseAddr, c.reusePort);
        });
    }
    case Verb::Show:
        if (!t.atEnd()) {
            auto port = t.number(QStringLiteral("PORT"), 0, 65535);
            if (!port)
                return port.error();
            c.port = static_cast<std::uint16_t>(*port);
        }
        return Ok{};
    case Verb::Sleep: {
        auto ms = t.number(QStringLiteral("MS"), 0, 600000);
        if (!ms)
            return ms.error();
        c.milliseconds = *ms;
        return Ok{};
    }
    case Verb::Fds:
    case Verb::List:
    case Verb::Help:
    case Verb::Quit:
        return Ok{};
    }
    return Ok{};
}

} // namespace

Result<std::optional<ConsoleCommand>> parseConsoleLine(const QString &line)
{
    QString text = line;
    if (const qsizetype hash = text.indexOf(QLatin1Char('#')); hash >= 0)
        text.truncate(hash);
    const QStringList words =
        text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    if (words.isEmpty())
        return std::optional<ConsoleCommand>();
    const QString verbName = words.first();
    ConsoleCommand command;
    const auto verb = consoleVerbFromName(verbName);
    if (!verb) {
        return Error{EINVAL, QStringLiteral("unknown command %1: the commands are listen, close, "
                                            "rebind, accept, connect, shutdown, reset, server, "
                                            "kill, status, check, show, wait, sleep, fds, list, "
                                            "help, quit")
                                 .arg(quotedValue(words.first()))};
    }
    command.verb = *verb;
    ConsoleTokens tokens(command.verb, words.mid(1));
    if (auto parsed = parseArguments(tokens, command); !parsed)
        return parsed.error();
    if (!tokens.atEnd())
        return tokens.unexpected();
    if (!command.ids.isEmpty()) {
        command.idText = command.ids.size() == 1
                             ? command.ids.first()
                             : command.ids.first() + QStringLiteral("..") + command.ids.last();
    }
    return std::optional<ConsoleCommand>(std::move(command));
}

} // namespace sockscope
