// SPDX-License-Identifier: GPL-3.0-or-later
#include "netns/networknamespace.h"

#include "netns/namespacescope.h"

#include <cerrno>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <QDir>
#include <QFile>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>

namespace sockscope {

namespace {

bool allDigits(const QString &text)
{
    return !text.isEmpty() &&
           std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c.isDigit(); });
}

QString namesThere(const QString &namedRoot)
{
    const QStringList names = QDir(namedRoot).entryList(QDir::Files | QDir::System, QDir::Name);
    if (names.isEmpty())
        return QStringLiteral("there are none (create one with 'ip netns add NAME', or give a "
                              "PID or a path to an nsfs file)");
    return QStringLiteral("there are: %1").arg(names.join(QStringLiteral(", ")));
}

Error openError(const QString &spec, const QString &path, int errnum, const QString &namedRoot)
{
    if (errnum == ENOENT && allDigits(spec))
        return {errnum, QStringLiteral("--netns %1: no process %1 (it has exited?)").arg(spec)};
    if (errnum == ENOENT && !spec.contains(QLatin1Char('/')))
        return {errnum, QStringLiteral("--netns %1: no network namespace named '%1' in %2; %3")
                            .arg(spec, namedRoot, namesThere(namedRoot))};
    if (errnum == EACCES || errnum == EPERM)
        return {errnum, QStringLiteral("--netns %1: %2 may not be opened: another user's "
                                       "process's namespace needs root (or CAP_SYS_ADMIN and "
                                       "CAP_SYS_PTRACE)")
                            .arg(spec, path)};
    return Error::fromErrno(errnum, QStringLiteral("--netns %1: cannot open %2").arg(spec, path));
}

} // namespace

Result<NetworkNamespace> NetworkNamespace::resolve(const QString &spec, const QString &namedRoot)
{
    QString path;
    if (spec.isEmpty())
        return Error{EINVAL, QStringLiteral("--netns needs a name from %1, a PID or a path to an "
                                            "nsfs file such as /proc/PID/ns/net")
                                 .arg(namedRoot)};
    if (allDigits(spec))
        path = QStringLiteral("/proc/%1/ns/net").arg(spec);
    else if (spec.contains(QLatin1Char('/')))
        path = spec;
    else
        path = namedRoot + QLatin1Char('/') + spec;
    // Non-blocking: a FIFO given by mistake must not hang the open.
    const int fd =
        ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return openError(spec, path, errno, namedRoot);
    return fromDescriptor(UniqueFd(fd), spec);
}

Result<NetworkNamespace> NetworkNamespace::fromDescriptor(UniqueFd fd, const QString &spec)
{
    struct statfs filesystem = {};
    struct stat info = {};
    if (::fstatfs(fd.get(), &filesystem) != 0 || filesystem.f_type != NSFS_MAGIC ||
        ::fstat(fd.get(), &info) != 0)
        return Error{ENOTTY, QStringLiteral("--netns %1: not a namespace file (nsfs); give an "
                                            "'ip netns' name, a PID or a path such as "
                                            "/proc/PID/ns/net or /run/netns/NAME")
                                 .arg(spec)};
    const int type = ::ioctl(fd.get(), NS_GET_NSTYPE);
    if (type >= 0 && type != CLONE_NEWNET)
        return Error{EINVAL, QStringLiteral("--netns %1: a namespace, but not a network one "
                                            "(give PID/ns/net, not another of PID/ns/)")
                                 .arg(spec)};
    NetworkNamespace result;
    result.m_fd = std::make_shared<UniqueFd>(std::move(fd));
    result.m_inode = info.st_ino;
    result.m_device = info.st_dev;
    result.m_spec = spec;
    // Now rather than later on a poller's thread: a namespace that resolves works.
    if (auto entered = NamespaceScope::enter(result); !entered)
        return Error{entered.error().errnum,
                     QStringLiteral("--netns %1: %2").arg(spec, entered.error().message)};
    return result;
}

QString NetworkNamespace::key() const
{
    return QStringLiteral("netns:%1").arg(m_inode);
}

QString NetworkNamespace::ipCommand(const QString &arguments) const
{
    if (!chosen())
        return QStringLiteral("ip %1").arg(arguments);
    if (allDigits(m_spec))
        return QStringLiteral("nsenter --net=/proc/%1/ns/net ip %2").arg(m_spec, arguments);
    if (m_spec.contains(QLatin1Char('/')))
        return QStringLiteral("nsenter --net=%1 ip %2").arg(m_spec, arguments);
    return QStringLiteral("ip -n %1 %2").arg(m_spec, arguments);
}

std::uint64_t currentNetworkNamespaceInode()
{
    struct stat info = {};
    if (::stat("/proc/thread-self/ns/net", &info) != 0)
        return 0;
    return info.st_ino;
}

} // namespace sockscope
