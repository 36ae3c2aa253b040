// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "explain/explanation.h"
#include "util/result.h"

#include <optional>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace sockscope {

// The console's answer to one command: a first line that starts with "ok" or
// "error ERRNO_NAME", and for `show` and `help` indented lines after it.
struct ConsoleAnswer
{
    bool ok = true;
    QString errnoName;                      // "EADDRINUSE" when !ok
    QString text;                           // the first line after "ok " / "error NAME "
    QStringList details;                    // lines printed after the first, indented by two spaces
    QStringList ids;                        // the lab objects the command made or acted on
    std::optional<Explanation> explanation; // a failure's explanation, with culprits

    static ConsoleAnswer success(const QString &text);
    // Uses error.errnoName(); a message that starts with "NAME: " (an
    // Explanation::text()) loses that prefix, the answer already names it.
    static ConsoleAnswer failure(const Error &error, const QString &subject = QString());
    static ConsoleAnswer failure(const Explanation &explanation,
                                 const QString &subject = QString());

    // "ok L1 127.0.0.1:9000 listening ..." / "error EADDRINUSE ..."
    QString firstLine() const;
    // firstLine() and the indented details.
    QStringList lines() const;
};

} // namespace sockscope

Q_DECLARE_METATYPE(sockscope::ConsoleAnswer)
