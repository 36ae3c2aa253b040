// SPDX-License-Identifier: GPL-3.0-or-later
#include "fuse_mount.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Finds name in PATH, then in the directories distributions install the
 * helpers to (PATH may be minimal for desktop launchers and sudo). */
static int find_helper(const char *name, char *out, size_t outlen)
{
    const char *path = getenv("PATH");
    char dirs[4096];
    snprintf(dirs, sizeof dirs, "%s:/usr/bin:/bin:/usr/local/bin", path ? path : "");
    for (char *save = NULL, *dir = strtok_r(dirs, ":", &save); dir != NULL;
         dir = strtok_r(NULL, ":", &save)) {
        if (dir[0] != '/')
            continue;
        snprintf(out, outlen, "%s/%s", dir, name);
        if (access(out, X_OK) == 0)
            return 0;
    }
    return -1;
}

/* Runs helper with args; its stderr's first line goes to why. With sock >= 0
 * the helper gets it as _FUSE_COMMFD. Returns the exit status or -1. */
static int run_helper(const char *helper, char *const args[], int sock, char *why, size_t whylen)
{
    int err_pipe[2];
    if (pipe2(err_pipe, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(err_pipe[1], STDERR_FILENO);
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, STDIN_FILENO);
        dup2(devnull, STDOUT_FILENO);
        if (sock >= 0) {
            char fdtext[16];
            snprintf(fdtext, sizeof fdtext, "%d", sock);
            setenv("_FUSE_COMMFD", fdtext, 1);
            fcntl(sock, F_SETFD, 0);
        }
        execv(helper, args);
        _exit(127);
    }
    close(err_pipe[1]);
    char text[512] = "";
    size_t used = 0;
    ssize_t got;
    while (used + 1 < sizeof text &&
           ((got = read(err_pipe[0], text + used, sizeof text - 1 - used)) > 0 ||
            (got < 0 && errno == EINTR)))
        used += got > 0 ? (size_t)got : 0;
    text[used] = '\0';
    close(err_pipe[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (why != NULL && used > 0) {
        text[strcspn(text, "\n")] = '\0';
        snprintf(why, whylen, "%s", text);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int receive_fd(int sock)
{
    char byte;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = control.buf,
                         .msg_controllen = sizeof control.buf};
    ssize_t got;
    while ((got = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
    }
    struct cmsghdr *cmsg = got > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
    if (cmsg == NULL || cmsg->cmsg_type != SCM_RIGHTS)
        return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(cmsg), sizeof fd);
    return fd;
}

static int mount_with_helper(struct fuse_mount *m, const char *fsname, char *why, size_t whylen)
{
    static const char *const helpers[] = {"fusermount3", "fusermount"};
    for (size_t i = 0; i < sizeof helpers / sizeof helpers[0]; ++i) {
        if (find_helper(helpers[i], m->helper, sizeof m->helper) != 0)
            continue;
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
            return snprintf(why, whylen, "socketpair: %s", strerror(errno)), -1;
        char options[PATH_MAX];
        snprintf(options, sizeof options, "ro,nosuid,nodev,fsname=%s,subtype=appimage", fsname);
        char *args[] = {m->helper, "-o", options, "--", m->mountpoint, NULL};
        snprintf(why, whylen, "%s failed", helpers[i]);
        int status = run_helper(m->helper, args, sv[1], why, whylen);
        close(sv[1]);
        m->fd = status == 0 ? receive_fd(sv[0]) : -1;
        close(sv[0]);
        if (m->fd >= 0) {
            m->via_helper = 1;
            return 0;
        }
        return -1; /* the helper exists and said no: the other one would too */
    }
    snprintf(why, whylen,
             "mounting needs privileges and neither fusermount3 nor fusermount "
             "is installed");
    return -1;
}

int fuse_mount_acquire(struct fuse_mount *m, const char *mountpoint, const char *fsname, char *why,
                       size_t whylen)
{
    memset(m, 0, sizeof *m);
    m->fd = -1;
    snprintf(m->mountpoint, sizeof m->mountpoint, "%s", mountpoint);
    int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
    if (fd < 0 && errno != EACCES && errno != EPERM) {
        snprintf(why, whylen, "/dev/fuse: %s", strerror(errno));
        return -1;
    }
    if (fd >= 0) {
        char data[128];
        snprintf(data, sizeof data, "fd=%d,rootmode=40000,user_id=%u,group_id=%u", fd,
                 (unsigned)getuid(), (unsigned)getgid());
        if (mount(fsname, mountpoint, "fuse.appimage", MS_RDONLY | MS_NOSUID | MS_NODEV, data) ==
            0) {
            m->fd = fd;
            return 0;
        }
        int saved = errno;
        close(fd);
        if (saved != EPERM && saved != EACCES) {
            snprintf(why, whylen, "mount: %s", strerror(saved));
            return -1;
        }
    }
    return mount_with_helper(m, fsname, why, whylen);
}

int fuse_mount_release(struct fuse_mount *m)
{
    if (!m->via_helper)
        return umount2(m->mountpoint, MNT_DETACH);
    char *args[] = {m->helper, "-u", "-z", "-q", "--", m->mountpoint, NULL};
    return run_helper(m->helper, args, -1, NULL, 0) == 0 ? 0 : -1;
}

void fuse_mount_force_release(const char *mountpoint)
{
    if (umount2(mountpoint, MNT_DETACH) == 0)
        return;
    struct fuse_mount m = {.fd = -1, .via_helper = 1};
    snprintf(m.mountpoint, sizeof m.mountpoint, "%s", mountpoint);
    if (find_helper("fusermount3", m.helper, sizeof m.helper) == 0 ||
        find_helper("fusermount", m.helper, sizeof m.helper) == 0)
        fuse_mount_release(&m);
}
