// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpget.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTimer>
#include <QUrl>

namespace sockscope::test {

QByteArray httpGet(QNetworkAccessManager &network, const QString &url, int timeoutMs,
                   QString *error)
{
    // Requests go to our own loopback servers, never to a proxy.
    network.setProxy(QNetworkProxy::NoProxy);
    QNetworkReply *reply = network.get(QNetworkRequest(QUrl(url)));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    QByteArray body;
    if (!reply->isFinished()) {
        *error = QStringLiteral("%1: no answer within %2 ms").arg(url).arg(timeoutMs);
        reply->abort();
    } else if (reply->error() != QNetworkReply::NoError &&
               reply->error() < QNetworkReply::ContentAccessDenied) {
        // Transport errors; an HTTP error status still has a body to read.
        *error = url + QStringLiteral(": ") + reply->errorString();
    } else {
        body = reply->readAll();
    }
    reply->deleteLater();
    return body;
}

} // namespace sockscope::test
