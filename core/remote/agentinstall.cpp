// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/agentinstall.h"

#include <QFileInfo>

namespace sockscope {

AgentInstall::AgentInstall(SshTarget target, QObject *parent)
    : QObject(parent), m_target(std::move(target))
{
    connect(&m_process, &QProcess::readyReadStandardError, this,
            [this] { m_errors += m_process.readAllStandardError().right(16 * 1024); });
    connect(&m_process, &QProcess::finished, this,
            [this](int exitCode, QProcess::ExitStatus status) {
                m_errors += m_process.readAllStandardError();
                if (status == QProcess::NormalExit && exitCode == 0) {
                    Q_EMIT finished(true, QString());
                    return;
                }
                Q_EMIT finished(false, QStringLiteral("copying sockscope to %1 failed: %2")
                                           .arg(m_target.displayName(),
                                                sshFailureMessage(m_target, m_errors, exitCode)));
            });
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            Q_EMIT finished(
                false,
                QStringLiteral("cannot run %1: %2").arg(m_sshProgram, m_process.errorString()));
    });
}

AgentInstall::~AgentInstall()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(1000);
    }
}

void AgentInstall::start(const QString &file, const QString &version)
{
    if (!QFileInfo(file).isFile()) {
        Q_EMIT finished(false, QStringLiteral("%1 is not a file to copy").arg(file));
        return;
    }
    // Written beside, then renamed: a dropped copy never looks installed.
    const QString path = remoteAgentPath(version);
    const QString command =
        QStringLiteral("sh -c 'cd && mkdir -p \"$(dirname %1)\" && cat > %1.part && chmod 755 "
                       "%1.part && mv %1.part %1'")
            .arg(path);
    m_errors.clear();
    m_process.setStandardInputFile(file);
    m_process.start(m_sshProgram, sshArguments(m_target, command));
}

} // namespace sockscope
