// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "explain/explanation.h"
#include "util/result.h"

#include <optional>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace sockscope {

// The state words of listeners and server processes in ObjectLine::state
// (clients and accepted connections use clientPhaseName()). Orphaned: closed,
// but an accept thread a naive close left still holds the socket.
inline constexpr char kStateListening[] = "listening";
inline constexpr char kStateOrphaned[] = "orphaned";
inline constexpr char kStateClosed[] = "closed";
inline constexpr char kStateRunning[] = "running";
inline constexpr char kStateExited[] = "exited";

// One lab object as an answer left it: its own line as the user reads it
// ("ok C2 ..." or "error EINVAL ..."; a client of a group has its own, not the
// group's) and its state word.
struct ObjectLine
{
    QString line;
    QString state;
    bool ok = true;
};

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
    // The objects of ids, each as it is now, and objects the command made
    // along without acting on them (the connections a lab listener accepted
    // during a connect).
    QMap<QString, ObjectLine> objects;

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
