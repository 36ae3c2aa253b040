// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

class QNetworkAccessManager;

namespace sockscope::test {

// A GET that waits at most timeoutMs (running the event loop), never through a
// proxy from the environment. The body, also of an HTTP error status; empty with
// *error for no answer, a refused connection or a timeout.
QByteArray httpGet(QNetworkAccessManager &network, const QString &url, int timeoutMs,
                   QString *error);

} // namespace sockscope::test
