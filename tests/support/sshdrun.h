// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/sshtarget.h"

#include <memory>
#include <QByteArray>
#include <QFileInfo>
#include <QString>
#include <QTemporaryDir>
#include <unistd.h>

class QProcess;

namespace sockscope::test {

// Debian's sshd, started by a test on 127.0.0.1 on a free port with a
// throwaway host key and an authorized key made for it (UsePAM no, StrictModes
// no), and an ssh client config that reaches it as `host()`: its port, the
// current user, the key, a known_hosts holding only its host key, BatchMode.
// OpenSSH reads ~/.ssh of the passwd home, not $HOME: always pass -F config().
// Stopped (and its sessions with it) when destroyed.
class SshdRun
{
public:
    SshdRun();
    ~SshdRun();

    // remotePath: the folders the sessions' PATH starts with (the build's
    // sockscope, or a fake one); the rest is /usr/sbin:/usr/bin:/sbin:/bin,
    // so a remote without sockscope has only ss. False with `reason` where
    // sshd is missing or will not let this user log in.
    bool start(const QString &remotePath, QString *reason);
    void stop();

    QString host() const { return QStringLiteral("sockscope-test"); }
    QString config() const;
    // host() through config(): what a RemoteSource or --ssh reaches it with.
    SshTarget target() const;
    int port() const { return m_port; }
    // The client's known_hosts, to be replaced by a wrong one.
    QString knownHosts() const;
    // A folder of the run's own, deleted with it.
    QString path(const QString &name) const { return m_dir.filePath(name); }
    // sshd's log so far (for failure messages).
    QByteArray log() const;
    // Kills every session's sshd child (not the listener): connections drop.
    int killSessions() const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_sshd;
    int m_port = 0;
};

// The single lines a test runs in the "server's" shell over the run's sshd.
QByteArray sshRun(const SshdRun &sshd, const QString &command, int *status = nullptr);

} // namespace sockscope::test

// In a test function: starts `sshd` with `remotePath` first on the remote
// PATH; skips where this user cannot have one (root can always log in to its
// own sshd; another user only with a login shell and an unlocked account),
// fails where root should.
#define SOCKSCOPE_START_SSHD_AT(sshd, remotePath)                                                  \
    do {                                                                                           \
        QString reason_;                                                                           \
        if (!(sshd).start((remotePath), &reason_)) {                                               \
            if (::geteuid() != 0)                                                                  \
                QSKIP(qPrintable(QStringLiteral("needs an sshd this user can log in to: ") +       \
                                 reason_));                                                        \
            QFAIL(qPrintable(reason_));                                                            \
        }                                                                                          \
    } while (false)
// The same with the build's sockscope on the remote PATH.
#define SOCKSCOPE_START_SSHD(sshd)                                                                 \
    SOCKSCOPE_START_SSHD_AT(sshd, QFileInfo(QStringLiteral(SOCKSCOPE_BINARY)).absolutePath())
