// SPDX-License-Identifier: GPL-3.0-or-later
#include "sshdrun.h"

#include "processrun.h"

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <pwd.h>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QThread>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sockscope::test {

namespace {
constexpr char kSshd[] = "/usr/sbin/sshd";

int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    ::close(fd);
    return port;
}

bool accepting(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

bool makeKey(const QString &path, QString *reason)
{
    const ProcessRun run =
        runProcess(QStringLiteral("ssh-keygen"),
                   {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                    QStringLiteral("-N"), QString(), QStringLiteral("-f"), path},
                   10000);
    if (run.status != 0)
        *reason = QStringLiteral("ssh-keygen failed (status %1): %2 (apt-get install "
                                 "openssh-client)")
                      .arg(run.status)
                      .arg(QString::fromUtf8(run.err.trimmed()));
    return run.status == 0;
}

QString userName()
{
    const passwd *entry = ::getpwuid(::geteuid());
    return entry ? QString::fromLocal8Bit(entry->pw_name) : QString();
}
} // namespace

SshdRun::SshdRun() = default;

SshdRun::~SshdRun()
{
    stop();
}

QString SshdRun::config() const
{
    return m_dir.filePath(QStringLiteral("ssh_config"));
}

QString SshdRun::knownHosts() const
{
    return m_dir.filePath(QStringLiteral("known_hosts"));
}

QByteArray SshdRun::log() const
{
    return m_sshd ? m_sshd->readAllStandardError() : QByteArray();
}

bool SshdRun::start(const QString &remotePath, QString *reason)
{
    if (!QFile::exists(QLatin1String(kSshd))) {
        *reason = QStringLiteral("%1 is missing (apt-get install openssh-server)")
                      .arg(QLatin1String(kSshd));
        return false;
    }
    if (!m_dir.isValid() || !makeKey(path(QStringLiteral("host_key")), reason) ||
        !makeKey(path(QStringLiteral("client_key")), reason))
        return false;
    // Root's sshd wants its privilege separation folder.
    if (::geteuid() == 0)
        ::mkdir("/run/sshd", 0755);
    QFile::copy(path(QStringLiteral("client_key.pub")), path(QStringLiteral("authorized_keys")));
    QFile hostPub(path(QStringLiteral("host_key.pub")));
    hostPub.open(QIODevice::ReadOnly);
    const QByteArray hostKey = hostPub.readAll().trimmed();
    m_port = freeLoopbackPort();
    QDir().mkpath(path(QStringLiteral("home")));
    const QString sessionPath = (remotePath.isEmpty() ? QString() : remotePath + QLatin1Char(':')) +
                                QStringLiteral("/usr/sbin:/usr/bin:/sbin:/bin");
    const QByteArray sshdConfig =
        QStringLiteral("Port %1\nListenAddress 127.0.0.1\n"
                       "HostKey %2\nAuthorizedKeysFile %3\n"
                       "UsePAM no\nStrictModes no\nPidFile none\n"
                       "PasswordAuthentication no\n"
                       "KbdInteractiveAuthentication no\n"
                       "PermitRootLogin prohibit-password\n"
                       "SetEnv PATH=%4 HOME=%5\n")
            .arg(m_port)
            .arg(path(QStringLiteral("host_key")), path(QStringLiteral("authorized_keys")),
                 sessionPath, path(QStringLiteral("home")))
            .toUtf8();
    const QByteArray clientConfig =
        QStringLiteral("Host %1\n  Hostname 127.0.0.1\n  Port %2\n  User %3\n  IdentityFile %4\n"
                       "  UserKnownHostsFile %5\n  GlobalKnownHostsFile /dev/null\n"
                       "  IdentitiesOnly yes\n  BatchMode yes\n  StrictHostKeyChecking yes\n"
                       "  ConnectTimeout 5\n")
            .arg(host())
            .arg(m_port)
            .arg(userName(), path(QStringLiteral("client_key")), knownHosts())
            .toUtf8();
    if (!writeFile(path(QStringLiteral("sshd_config")), sshdConfig) ||
        !writeFile(config(), clientConfig) ||
        !writeFile(knownHosts(),
                   QStringLiteral("[127.0.0.1]:%1 ").arg(m_port).toUtf8() + hostKey + '\n')) {
        *reason = QStringLiteral("cannot write the ssh configuration in %1").arg(m_dir.path());
        return false;
    }
    m_sshd = std::make_unique<QProcess>();
    startServer(*m_sshd, QLatin1String(kSshd),
                {QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"),
                 path(QStringLiteral("sshd_config"))});
    const QDeadlineTimer deadline(10000);
    while (!accepting(m_port)) {
        if (deadline.hasExpired() || m_sshd->state() == QProcess::NotRunning) {
            m_sshd->waitForFinished(100);
            *reason = QStringLiteral("sshd did not start: %1")
                          .arg(QString::fromUtf8(m_sshd->readAllStandardError().trimmed()));
            stop();
            return false;
        }
        QThread::msleep(20);
    }
    int status = 0;
    const QByteArray answer = sshRun(*this, QStringLiteral("echo ready"), &status);
    if (answer.trimmed() != "ready") {
        *reason = QStringLiteral("sshd does not let %1 log in (status %2; sshd: %3)")
                      .arg(userName())
                      .arg(status)
                      .arg(QString::fromUtf8(m_sshd->readAllStandardError().trimmed().right(300)));
        stop();
        return false;
    }
    return true;
}

int SshdRun::killSessions() const
{
    if (!m_sshd || m_sshd->processId() <= 0)
        return 0;
    // The listener's children are the sessions (and their privsep children).
    const ProcessRun run = runProcess(
        QStringLiteral("pkill"),
        {QStringLiteral("-KILL"), QStringLiteral("-P"), QString::number(m_sshd->processId())},
        5000);
    return run.status == 0 ? 1 : 0;
}

void SshdRun::stop()
{
    if (!m_sshd)
        return;
    killSessions();
    m_sshd->terminate();
    if (!m_sshd->waitForFinished(3000)) {
        m_sshd->kill();
        m_sshd->waitForFinished(3000);
    }
    m_sshd.reset();
}

SshTarget SshdRun::target() const
{
    SshTarget target;
    target.host = host();
    target.configFile = config();
    return target;
}

QByteArray sshRun(const SshdRun &sshd, const QString &command, int *status)
{
    const ProcessRun run = runProcess(
        QStringLiteral("ssh"), {QStringLiteral("-F"), sshd.config(), sshd.host(), command}, 15000);
    if (status)
        *status = run.status;
    return run.out;
}

} // namespace sockscope::test
