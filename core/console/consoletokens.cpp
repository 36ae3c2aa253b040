// SPDX-License-Identifier: GPL-3.0-or-later
#include "console/consoletokens.h"

#include "console/consolegrammar.h"
#include "util/quotedvalue.h"

#include <cerrno>
#include <optional>
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
    return error(QStringLiteral("unexpected %1").arg(quotedValue(peek())));
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
        return error(QStringLiteral("%1 %2 is not a whole number from %3 to %4")
                         .arg(what, quotedValue(*text))
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
            return error(QStringLiteral("unknown option %1").arg(quotedValue(key)));
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

namespace {
struct IdParts
{
    QString prefix; // empty for a bare number (the end of "L1.1..3")
    int number = 0;
    std::optional<int> sub; // 2 in "L1.2"
};

std::optional<IdParts> idParts(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^([LCP])?(\\d{1,6})(?:\\.(\\d{1,6}))?$"),
        QRegularExpression::CaseInsensitiveOption);
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    IdParts parts{match.captured(1).toUpper(), match.captured(2).toInt(), std::nullopt};
    if (!match.captured(3).isEmpty())
        parts.sub = match.captured(3).toInt();
    return parts;
}
} // namespace

bool isListenerId(const QString &id)
{
    return id.startsWith(QLatin1Char('L')) && !id.contains(QLatin1Char('.'));
}

Result<QStringList> parseIds(ConsoleTokens &tokens, const QString &prefixes, bool ranges)
{
    auto text = tokens.word(QStringLiteral("object id"));
    if (!text)
        return text.error();
    const QStringList ends = text->split(QStringLiteral(".."));
    const std::optional<IdParts> first = idParts(ends.first());
    if (ends.size() > 2 || !first || first->prefix.isEmpty() ||
        (first->sub && first->prefix != QLatin1String("L")))
        return tokens.error(QStringLiteral("%1 is not an object id like L1, C2, P3 or L1.2")
                                .arg(quotedValue(*text)));
    const bool accepted = first->sub.has_value();
    if (!prefixes.contains(accepted ? QStringLiteral("C") : first->prefix))
        return tokens.error(
            QStringLiteral("%1 is not an id this command takes").arg(quotedValue(*text)));
    // An accepted connection counts by its number under the listener.
    const QString stem = accepted ? QStringLiteral("L%1.").arg(first->number) : first->prefix;
    const int from = accepted ? *first->sub : first->number;
    if (ends.size() == 1)
        return QStringList{stem + QString::number(from)};
    const std::optional<IdParts> last = idParts(ends.last());
    const bool sameKind =
        last && (last->prefix.isEmpty() ||
                 (last->prefix == first->prefix && last->sub.has_value() == accepted &&
                  (!accepted || last->number == first->number)));
    const int to = !last ? 0 : (accepted && last->sub) ? *last->sub : last->number;
    if (!ranges || !sameKind || (last->prefix.isEmpty() && last->sub) || to < from ||
        to - from >= 10000)
        return tokens.error(QStringLiteral("%1 is not a valid id range").arg(quotedValue(*text)));
    QStringList ids;
    for (int i = from; i <= to; ++i)
        ids << stem + QString::number(i);
    return ids;
}

} // namespace sockscope
