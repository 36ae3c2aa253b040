// SPDX-License-Identifier: GPL-3.0-or-later
#include "labnamespace.h"

#include "processrun.h"

#include <QDeadlineTimer>
#include <QStandardPaths>
#include <unistd.h>

namespace sockscope::test {

LabNamespace::LabNamespace(const QString &sockscopeBinary, Kind kind, quint16 port) : m_port(port)
{
    const QString ip = QStandardPaths::findExecutable(QStringLiteral("ip"));
    const QString unshare = QStandardPaths::findExecutable(QStringLiteral("unshare"));
    if (::geteuid() != 0) {
        m_reason = QStringLiteral("needs root to create and enter network namespaces");
        return;
    }
    if (ip.isEmpty() || (kind == Kind::Unshared && unshare.isEmpty())) {
        m_reason = QStringLiteral("needs ip (iproute2) and unshare (util-linux)");
        return;
    }
    if (kind == Kind::Named) {
        m_named = std::make_unique<NamedNamespace>();
        if (!m_named->unavailable().isEmpty()) {
            m_reason = m_named->unavailable();
            return;
        }
        m_lab.start(ip, {QStringLiteral("netns"), QStringLiteral("exec"), m_named->name(),
                         sockscopeBinary, QStringLiteral("lab")});
    } else {
        // A fresh namespace's loopback is down: up first, then the lab in its place.
        m_lab.start(unshare,
                    {QStringLiteral("-n"), QStringLiteral("sh"), QStringLiteral("-c"),
                     QStringLiteral("ip link set lo up && exec \"$0\" lab"), sockscopeBinary});
    }
    if (!m_lab.waitForStarted(10000)) {
        m_reason = QStringLiteral("could not start the lab in the namespace");
        return;
    }
    const QString listening = command(QStringLiteral("listen 127.0.0.1:%1").arg(port));
    const QString connected = command(QStringLiteral("connect 127.0.0.1:%1").arg(port));
    if (!listening.startsWith(QLatin1String("ok")) || !connected.startsWith(QLatin1String("ok")))
        m_reason =
            QStringLiteral("the lab in the namespace answered '%1' and '%2' (stderr: %3)")
                .arg(listening, connected, QString::fromLocal8Bit(m_lab.readAllStandardError()));
}

LabNamespace::~LabNamespace()
{
    if (m_lab.state() != QProcess::NotRunning) {
        m_lab.closeWriteChannel();
        if (!m_lab.waitForFinished(10000)) {
            m_lab.kill();
            m_lab.waitForFinished(5000);
        }
    }
}

QString LabNamespace::command(const QString &line)
{
    m_lab.write(line.toUtf8() + '\n');
    const QDeadlineTimer deadline(10000);
    while (!m_lab.canReadLine() && !deadline.hasExpired() && m_lab.state() == QProcess::Running)
        m_lab.waitForReadyRead(100);
    return QString::fromUtf8(m_lab.readLine()).trimmed();
}

QStringList LabNamespace::ssSockets() const
{
    if (m_named)
        return m_named->ssSockets();
    const QString nsenter = QStandardPaths::findExecutable(QStringLiteral("nsenter"));
    return ssLines(runProcess(nsenter,
                              {QStringLiteral("-t"), QString::number(m_lab.processId()),
                               QStringLiteral("-n"), QStringLiteral("ss"), QStringLiteral("-tanH")},
                              10000)
                       .out);
}

} // namespace sockscope::test
