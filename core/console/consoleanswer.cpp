// SPDX-License-Identifier: GPL-3.0-or-later
#include "console/consoleanswer.h"

namespace sockscope {

namespace {
QString withoutNamePrefix(const QString &message, const QString &name)
{
    const QString prefix = name + QStringLiteral(": ");
    return message.startsWith(prefix) ? message.mid(prefix.size()) : message;
}

QString joined(const QString &subject, const QString &text)
{
    return subject.isEmpty() ? text : subject + QLatin1Char(' ') + text;
}
} // namespace

ConsoleAnswer ConsoleAnswer::success(const QString &text)
{
    ConsoleAnswer answer;
    answer.text = text;
    return answer;
}

ConsoleAnswer ConsoleAnswer::failure(const Error &error, const QString &subject)
{
    ConsoleAnswer answer;
    answer.ok = false;
    answer.errnoName = error.errnoName();
    answer.text = joined(subject, withoutNamePrefix(error.message, answer.errnoName));
    return answer;
}

ConsoleAnswer ConsoleAnswer::failure(const Explanation &explanation, const QString &subject)
{
    ConsoleAnswer answer = failure(Error{explanation.errnum, explanation.text()}, subject);
    if (!explanation.errnoName.isEmpty())
        answer.errnoName = explanation.errnoName;
    answer.explanation = explanation;
    return answer;
}

QString ConsoleAnswer::firstLine() const
{
    QString line = ok ? QStringLiteral("ok") : QStringLiteral("error ") + errnoName;
    if (!text.isEmpty())
        line += QLatin1Char(' ') + text;
    // One command, one line: a stray newline in a message must not split it.
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return line;
}

QStringList ConsoleAnswer::lines() const
{
    QStringList result{firstLine()};
    for (const QString &detail : details)
        result << QStringLiteral("  ") + detail;
    return result;
}

} // namespace sockscope
