// SPDX-License-Identifier: GPL-3.0-or-later
#include "namednamespace.h"

#include "processrun.h"

#include <atomic>
#include <mutex>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
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

QString ipPath()
{
    return QStandardPaths::findExecutable(QStringLiteral("ip"));
}

// Namespaces a killed test left behind (a timeout or a sanitizer stopping it
// runs no destructor): named after a process that no longer runs. Another
// test's, running beside this one, is named after a live process and stays.
void removeLeftovers()
{
    static const QRegularExpression ours(QStringLiteral("^sockscope-test-(\\d+)-\\d+$"));
    const QStringList names = QDir(QStringLiteral("/run/netns")).entryList(QDir::Files);
    for (const QString &name : names) {
        const QRegularExpressionMatch match = ours.match(name);
        if (match.hasMatch() && !QFileInfo::exists(QStringLiteral("/proc/") + match.captured(1)))
            runProcess(ipPath(), {QStringLiteral("netns"), QStringLiteral("del"), name}, 10000);
    }
}
} // namespace

QStringList ssLines(const QByteArray &output)
{
    QStringList sockets;
    for (const QByteArray &line : output.split('\n')) {
        const QStringList fields = QString::fromUtf8(line).simplified().split(QLatin1Char(' '));
        if (fields.size() < 5)
            continue;
        sockets << QStringLiteral("%1 %2 %3").arg(ssState(fields[0]), fields[3], fields[4]);
    }
    sockets.sort();
    return sockets;
}

NamedNamespace::NamedNamespace(bool loopbackUp)
{
    if (::geteuid() != 0) {
        m_reason = QStringLiteral("needs root to create and enter network namespaces");
        return;
    }
    if (ipPath().isEmpty()) {
        m_reason = QStringLiteral("needs ip (iproute2)");
        return;
    }
    static std::once_flag swept;
    std::call_once(swept, removeLeftovers);
    const QString name = QStringLiteral("sockscope-test-%1-%2").arg(::getpid()).arg(++g_namespaces);
    const ProcessRun added =
        runProcess(ipPath(), {QStringLiteral("netns"), QStringLiteral("add"), name}, 10000);
    if (added.status != 0) {
        m_reason = QStringLiteral("ip netns add failed: %1").arg(QString::fromLocal8Bit(added.err));
        return;
    }
    m_name = name;
    if (!loopbackUp)
        return;
    const ProcessRun up =
        runProcess(ipPath(),
                   {QStringLiteral("-n"), m_name, QStringLiteral("link"), QStringLiteral("set"),
                    QStringLiteral("lo"), QStringLiteral("up")},
                   10000);
    if (up.status != 0)
        m_reason = QStringLiteral("ip -n %1 link set lo up failed: %2")
                       .arg(m_name, QString::fromLocal8Bit(up.err));
}

NamedNamespace::~NamedNamespace()
{
    if (!m_name.isEmpty())
        runProcess(ipPath(), {QStringLiteral("netns"), QStringLiteral("del"), m_name}, 10000);
}

QStringList NamedNamespace::ssSockets() const
{
    return ssLines(runProcess(ipPath(),
                              {QStringLiteral("netns"), QStringLiteral("exec"), m_name,
                               QStringLiteral("ss"), QStringLiteral("-tanH")},
                              10000)
                       .out);
}

} // namespace sockscope::test
