// SPDX-License-Identifier: GPL-3.0-or-later
#include "console/consoletokens.h"

#include "console/consolegrammar.h"

#include <cerrno>
#include <QRegularExpression>

namespace sockscope {

ConsoleTokens::ConsoleTokens(ConsoleCommand::Verb verb, QStringList words)
    : m_verb(verb), m_words(std::move(words))
{
}

Error ConsoleTokens::error(const QString &what) const
{
    return Error{EINVAL, QStringLiteral("%1; the form is: %2").arg(what, consoleForm(m_verb))};
}

Error ConsoleTokens::unexpected() const
{
    return error(QStringLiteral("unexpected '%1'").arg(peek()));
}

Result<QString> ConsoleTokens::word(const QString &what)
{
    if (atEnd())
        return error(QStringLiteral("missing %1").arg(what));
    return take();
}

Result<int> ConsoleTokens::number(const QString &what, int minimum, int maximum)
{
    auto text = word(what);
    if (!text)
        return text.error();
    bool ok = false;
    const qlonglong value = text->toLongLong(&ok);
    if (!ok || value < minimum || value > maximum)
        return error(QStringLiteral("%1 '%2' is not a whole number from %3 to %4")
                         .arg(what, *text)
                         .arg(minimum)
                         .arg(maximum));
    return static_cast<int>(value);
}

Status ConsoleTokens::options(const std::function<Result<bool>(const QString &key)> &handle)
{
    while (!atEnd()) {
        const QString key = take().toLower();
        auto handled = handle(key);
        if (!handled)
            return handled.error();
        if (!*handled)
            return error(QStringLiteral("unknown option '%1'").arg(key));
    }
    return Ok{};
}

bool reuseFlag(const QString &key, bool &reuseAddr, bool &reusePort)
{
    if (key == QLatin1String("reuseaddr"))
        reuseAddr = true;
    else if (key == QLatin1String("reuseport"))
        reusePort = true;
    else
        return false;
    return true;
}

Result<HostPort> ConsoleTokens::address(const QString &what)
{
    auto text = word(what + QStringLiteral(" ADDR:PORT"));
    if (!text)
        return text.error();
    auto parsed = parseHostPort(*text);
    if (!parsed)
        return error(parsed.error().message);
    return parsed;
}

// "L1" or, where ranges are allowed, "C1..C5" with one prefix.
Result<QStringList> parseIds(ConsoleTokens &tokens, const QString &prefixes, bool ranges)
{
    auto text = tokens.word(QStringLiteral("object id"));
    if (!text)
        return text.error();
    static const QRegularExpression pattern(
        QStringLiteral("^([LCP])(\\d{1,6})(?:\\.\\.([LCP])?(\\d{1,6}))?$"),
        QRegularExpression::CaseInsensitiveOption);
    const auto match = pattern.match(*text);
    if (!match.hasMatch())
        return tokens.error(
            QStringLiteral("'%1' is not an object id like L1, C2 or P3").arg(*text));
    const QString prefix = match.captured(1).toUpper();
    if (!prefixes.contains(prefix))
        return tokens.error(QStringLiteral("'%1' is not an id this command takes").arg(*text));
    const int first = match.captured(2).toInt();
    if (match.captured(4).isEmpty())
        return QStringList{prefix + QString::number(first)};
    const int last = match.captured(4).toInt();
    const QString lastPrefix = match.captured(3).toUpper();
    if (!ranges || (!lastPrefix.isEmpty() && lastPrefix != prefix) || last < first ||
        last - first >= 10000)
        return tokens.error(QStringLiteral("'%1' is not a valid id range").arg(*text));
    QStringList ids;
    for (int i = first; i <= last; ++i)
        ids << prefix + QString::number(i);
    return ids;
}

} // namespace sockscope
