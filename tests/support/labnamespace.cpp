// SPDX-License-Identifier: GPL-3.0-or-later
#include "labnamespace.h"

#include "processrun.h"

#include <atomic>
#include <QDeadlineTimer>
#include <QStandardPaths>
#include <unistd.h>

namespace sockscope::test {

namespace {
std::atomic<int> g_namespaces{0};

QString ssState(const QString &state)
{
    if (state == QLatin1String("ESTAB"))
        return QStringLiteral("ESTABLISHED");
    if (state == QLatin1String("UNCONN"))
        return QStringLiteral("CLOSE");
    return QString(state).replace(QLatin1Char('-'), QLatin1Char('_'));
}
} // namespace

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
        m_name = QStringLiteral("sockscope-test-%1-%2").arg(::getpid()).arg(++g_namespaces);
        const ProcessRun added =
            runProcess(ip, {QStringLiteral("netns"), QStringLiteral("add"), m_name}, 10000);
        if (added.status != 0) {
            m_reason =
                QStringLiteral("ip netns add failed: %1").arg(QString::fromLocal8Bit(added.err));
            m_name.clear();
            return;
        }
        runProcess(ip,
                   {QStringLiteral("-n"), m_name, QStringLiteral("link"), QStringLiteral("set"),
                    QStringLiteral("lo"), QStringLiteral("up")},
                   10000);
        m_lab.start(ip, {QStringLiteral("netns"), QStringLiteral("exec"), m_name, sockscopeBinary,
                         QStringLiteral("lab")});
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
    if (!m_name.isEmpty())
        runProcess(QStandardPaths::findExecutable(QStringLiteral("ip")),
                   {QStringLiteral("netns"), QStringLiteral("del"), m_name}, 10000);
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
    const QString ip = QStandardPaths::findExecutable(QStringLiteral("ip"));
    const QString nsenter = QStandardPaths::findExecutable(QStringLiteral("nsenter"));
    const ProcessRun run =
        m_name.isEmpty()
            ? runProcess(nsenter,
                         {QStringLiteral("-t"), QString::number(m_lab.processId()),
                          QStringLiteral("-n"), QStringLiteral("ss"), QStringLiteral("-tanH")},
                         10000)
            : runProcess(ip,
                         {QStringLiteral("netns"), QStringLiteral("exec"), m_name,
                          QStringLiteral("ss"), QStringLiteral("-tanH")},
                         10000);
    QStringList sockets;
    for (const QByteArray &line : run.out.split('\n')) {
        const QStringList fields = QString::fromUtf8(line).simplified().split(QLatin1Char(' '));
        if (fields.size() < 5)
            continue;
        sockets << QStringLiteral("%1 %2 %3").arg(ssState(fields[0]), fields[3], fields[4]);
    }
    sockets.sort();
    return sockets;
}

} // namespace sockscope::test
