// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "console/consolecommand.h"
#include "util/result.h"

#include <functional>
#include <QString>
#include <QStringList>

namespace sockscope {

// The words of a line after its verb, consumed left to right. Every failure
// is EINVAL with a message that ends with the command's form.
class ConsoleTokens
{
public:
    ConsoleTokens(ConsoleCommand::Verb verb, QStringList words);

    bool atEnd() const { return m_next >= m_words.size(); }
    QString peek() const { return atEnd() ? QString() : m_words[m_next]; }
    // The next word, or "" at the end.
    QString take() { return atEnd() ? QString() : m_words[m_next++]; }

    // "WHAT; the form is: listen ADDR:PORT ..."
    Error error(const QString &what) const;
    Error unexpected() const;
    // The next word; fails with "missing WHAT" at the end.
    Result<QString> word(const QString &what);
    // The next word as a whole number in [minimum, maximum].
    Result<int> number(const QString &what, int minimum, int maximum);
    // The next word as ADDR:PORT (parseHostPort's forms).
    Result<HostPort> address(const QString &what);
    // The remaining words as options: `handle` takes a key (lower case),
    // consumes its value if it has one, and answers false for a key it does
    // not know ("unknown option").
    Status options(const std::function<Result<bool>(const QString &key)> &handle);

private:
    ConsoleCommand::Verb m_verb;
    QStringList m_words;
    qsizetype m_next = 0;
};

// For options(): stores a parsed value, or passes its Error on.
template <typename T, typename U> Result<bool> store(const Result<T> &value, U &target)
{
    if (!value)
        return value.error();
    target = static_cast<U>(*value);
    return true;
}

// For options(): the SO_REUSEADDR / SO_REUSEPORT words every binding command takes.
bool reuseFlag(const QString &key, bool &reuseAddr, bool &reusePort);

// "L1", or with ranges allowed "C1..C5" (one prefix, at most 10000 ids);
// the prefix must be one of `prefixes` ("LC"). Where clients are taken ('C'),
// so are the connections a listener accepted: "L1.2", "L1.1..L1.3" or "L1.1..3".
// Whether "L1" names a listener (not "L1.2", a connection it accepted).
bool isListenerId(const QString &id);
Result<QStringList> parseIds(ConsoleTokens &tokens, const QString &prefixes, bool ranges);

} // namespace sockscope
