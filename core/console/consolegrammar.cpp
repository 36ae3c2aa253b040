// SPDX-License-Identifier: GPL-3.0-or-later
#include "console/consolegrammar.h"

namespace sockscope {

namespace {

using Verb = ConsoleCommand::Verb;

struct VerbForm
{
    const char *name;
    Verb verb;
    const char *form;
};

// The grammar in one table: parse errors and `help` quote these forms.
constexpr VerbForm kForms[] = {
    {"listen", Verb::Listen,
     "listen ADDR:PORT [reuseaddr] [reuseport] [backlog N] [accept auto|pause|close|hold] "
     "[thread]"},
    {"close", Verb::Close, "close L1 [naive|graceful] | close C1[..C5] | close L1.1[..L1.3]"},
    {"rebind", Verb::Rebind, "rebind L1"},
    {"accept", Verb::Accept, "accept L1 auto|pause|close|hold"},
    {"connect", Verb::Connect,
     "connect ADDR:PORT [from ADDR:PORT] [reuseaddr] [count N] "
     "[then keep|close|half-close|reset|never-close] [after MS] [timeout MS]"},
    {"shutdown", Verb::Shutdown, "shutdown C1[..C5] | shutdown L1.1[..L1.3]"},
    {"reset", Verb::Reset, "reset C1[..C5] | reset L1.1[..L1.3]"},
    {"server", Verb::Server,
     "server ADDR:PORT [nofile N] [reuseaddr] [reuseport] [policy spin|backoff|cap N]"},
    {"kill", Verb::Kill, "kill P1 [term|kill]"},
    {"status", Verb::Query, "status L1|C1|L1.1|P1"},
    {"check", Verb::Check, "check ADDR:PORT [reuseaddr] [reuseport]"},
    {"show", Verb::Show, "show [PORT]"},
    {"wait", Verb::Wait, "wait [not] STATE PORT [TIMEOUT_MS]"},
    {"sleep", Verb::Sleep, "sleep MS"},
    {"fds", Verb::Fds, "fds"},
    {"list", Verb::List, "list"},
    {"help", Verb::Help, "help"},
    {"quit", Verb::Quit, "quit"},
    {"exit", Verb::Quit, "exit"},
};

} // namespace

QString consoleForm(Verb verb)
{
    for (const VerbForm &form : kForms) {
        if (form.verb == verb)
            return QString::fromLatin1(form.form);
    }
    return QString();
}

std::optional<Verb> consoleVerbFromName(const QString &name)
{
    const QString lower = name.toLower();
    for (const VerbForm &form : kForms) {
        if (lower == QLatin1String(form.name))
            return form.verb;
    }
    return std::nullopt;
}

QStringList consoleGrammar()
{
    QStringList lines;
    for (const VerbForm &form : kForms) {
        if (QLatin1String(form.name) != QLatin1String("exit"))
            lines << QString::fromLatin1(form.form);
    }
    return lines;
}

} // namespace sockscope
