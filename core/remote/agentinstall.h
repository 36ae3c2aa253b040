// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/sshtarget.h"

#include <QObject>
#include <QProcess>
#include <QString>

namespace sockscope {

// Copies a local executable (this AppImage) to a server's cache folder over
// the same ssh (`cat > file` with the file as ssh's stdin), asynchronously.
class AgentInstall : public QObject
{
    Q_OBJECT
public:
    explicit AgentInstall(SshTarget target, QObject *parent = nullptr);
    ~AgentInstall() override;
    void setSshProgram(const QString &program) { m_sshProgram = program; }
    // Starts the copy of `file`; finished() says how it went.
    void start(const QString &file, const QString &version);

Q_SIGNALS:
    // ok false: `message` says why, in one sentence naming the fix.
    void finished(bool ok, const QString &message);

private:
    SshTarget m_target;
    QString m_sshProgram = QStringLiteral("ssh");
    QProcess m_process;
    QByteArray m_errors;
};

} // namespace sockscope
