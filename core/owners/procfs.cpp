// SPDX-License-Identifier: GPL-3.0-or-later
#include "owners/procfs.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <fcntl.h>
#include <QFile>
#include <string_view>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sockscope::procfs {

constexpr qsizetype kCommandLimit = 64 * 1024;

long readDirectoryChunk(int dirFd, std::vector<char> &buffer)
{
    for (;;) {
        const long length = ::syscall(SYS_getdents64, dirFd, buffer.data(), buffer.size());
        if (length >= 0 || errno != EINTR)
            return length;
    }
}

int parseNumber(const char *name)
{
    int value = 0;
    const char *end = name + std::char_traits<char>::length(name);
    const auto [last, error] = std::from_chars(name, end, value);
    if (error != std::errc() || last != end || name == end || value < 0)
        return -1;
    return value;
}

std::uint32_t socketInode(const char *target, std::size_t length)
{
    constexpr std::string_view prefix = "socket:[";
    std::string_view text(target, length);
    if (!text.starts_with(prefix) || !text.ends_with(']'))
        return 0;
    text = text.substr(prefix.size(), text.size() - prefix.size() - 1);
    std::uint32_t inode = 0;
    const auto [last, error] = std::from_chars(text.data(), text.data() + text.size(), inode);
    if (error != std::errc() || last != text.data() + text.size())
        return 0;
    return inode;
}

QByteArray readSmallFile(int dirFd, const char *path)
{
    const int fd = ::openat(dirFd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {};
    QByteArray data;
    char buffer[4096];
    while (data.size() < kCommandLimit) {
        const ssize_t length = ::read(fd, buffer, sizeof buffer);
        if (length < 0 && errno == EINTR)
            continue;
        if (length <= 0)
            break;
        data.append(buffer, length);
    }
    ::close(fd);
    return data.left(kCommandLimit);
}

QString commandOf(int rootFd, int pid)
{
    char path[32];
    std::snprintf(path, sizeof path, "%d/cmdline", pid);
    QByteArray line = readSmallFile(rootFd, path);
    while (line.endsWith('\0'))
        line.chop(1);
    if (!line.isEmpty())
        return QString::fromUtf8(line.replace('\0', ' '));
    std::snprintf(path, sizeof path, "%d/comm", pid);
    const QByteArray comm = readSmallFile(rootFd, path).trimmed();
    return comm.isEmpty() ? QString()
                          : QLatin1Char('[') + QString::fromUtf8(comm) + QLatin1Char(']');
}

int selfPidIn(const QString &procRoot)
{
    char target[32];
    const QByteArray path = QFile::encodeName(procRoot + QStringLiteral("/self"));
    const ssize_t length = ::readlink(path.constData(), target, sizeof target - 1);
    if (length <= 0)
        return 0;
    target[length] = '\0';
    return std::max(parseNumber(target), 0);
}

std::int64_t fdCountOf(int rootFd, const char *fdPath)
{
    struct stat info = {};
    return ::fstatat(rootFd, fdPath, &info, 0) == 0 ? std::int64_t(info.st_size) : -1;
}

std::uint64_t startTimeOf(int rootFd, int pid)
{
    char path[32];
    std::snprintf(path, sizeof path, "%d/stat", pid);
    const int fd = ::openat(rootFd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char text[1024];
    ssize_t length = 0;
    do {
        length = ::read(fd, text, sizeof text);
    } while (length < 0 && errno == EINTR);
    ::close(fd);
    if (length <= 0)
        return 0;
    // The command in parentheses may hold spaces and ')': fields count from the last ')'.
    const std::string_view line(text, std::size_t(length));
    const std::size_t close = line.rfind(')');
    if (close == std::string_view::npos)
        return 0;
    std::size_t position = close + 1;
    for (int field = 3; field < 22 && position != std::string_view::npos; ++field)
        position = line.find(' ', position + 1);
    if (position == std::string_view::npos)
        return 0;
    std::uint64_t ticks = 0;
    std::from_chars(line.data() + position + 1, line.data() + line.size(), ticks);
    return ticks;
}

NamespaceId netNamespaceOf(int rootFd, const char *nsPath)
{
    struct stat info = {};
    if (::fstatat(rootFd, nsPath, &info, 0) != 0)
        return {};
    return {info.st_dev, info.st_ino};
}

} // namespace sockscope::procfs
