// SPDX-License-Identifier: GPL-3.0-or-later
#include "fuse_server.h"

#include "fuse_mount.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <squashfuse/ll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Long enough for a helper on a loaded machine, short enough not to look hung. */
#define READY_TIMEOUT_MS 15000

struct server
{
    struct fuse_mount mount;
    pthread_mutex_t lock;
    int released;
    int keepalive;
};

static void release_once(struct server *s)
{
    pthread_mutex_lock(&s->lock);
    if (!s->released && fuse_mount_release(&s->mount) == 0)
        rmdir(s->mount.mountpoint); /* detached: no longer a mount point */
    s->released = 1;
    pthread_mutex_unlock(&s->lock);
}

static void *watch_keepalive(void *arg)
{
    struct server *s = arg;
    char byte;
    ssize_t got;
    /* Nobody writes: read returns 0 once every holder of the write end is gone. */
    while ((got = read(s->keepalive, &byte, 1)) != 0 && (got > 0 || errno == EINTR)) {
    }
    release_once(s);
    return NULL;
}

static void report(int fd, const char *text)
{
    ssize_t ignored = write(fd, text, strlen(text));
    (void)ignored;
    close(fd);
}

static void fsname_for(const char *path, char *out, size_t outlen)
{
    const char *base = strrchr(path, '/');
    snprintf(out, outlen, "%.200s", base ? base + 1 : path);
    /* fusermount splits options at commas; keep the name to a safe alphabet. */
    for (char *p = out; *p != '\0'; ++p) {
        if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9') &&
            *p != '.' && *p != '_' && *p != '-')
            *p = '_';
    }
}

static void init_ops(struct fuse_lowlevel_ops *ops)
{
    memset(ops, 0, sizeof *ops);
    ops->lookup = sqfs_ll_op_lookup;
    ops->forget = sqfs_ll_op_forget;
    ops->getattr = sqfs_ll_op_getattr;
    ops->readlink = sqfs_ll_op_readlink;
    ops->open = sqfs_ll_op_open;
    ops->read = sqfs_ll_op_read;
    ops->release = sqfs_ll_op_release;
    ops->opendir = sqfs_ll_op_opendir;
    ops->readdir = sqfs_ll_op_readdir;
    ops->releasedir = sqfs_ll_op_releasedir;
    ops->statfs = stfs_ll_op_statfs;
    ops->getxattr = sqfs_ll_op_getxattr;
    ops->listxattr = sqfs_ll_op_listxattr;
    ops->create = sqfs_ll_op_create;
}

/* The child: never returns. */
static void serve(const struct image *img, const char *mountpoint, int ready, int keepalive)
{
    /* A Ctrl-C, hang-up or SIGTERM meant for the application must not take
     * its files away while it handles them: the server ends when the
     * application does (keep-alive), and only SIGKILL ends it earlier. */
    setsid();
    static const int ignored[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2};
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; ++i)
        signal(ignored[i], SIG_IGN);
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, STDIN_FILENO);
    dup2(devnull, STDOUT_FILENO);
    dup2(devnull, STDERR_FILENO);
    char message[600];
    sqfs_ll *ll = sqfs_ll_open(img->path, (size_t)img->offset);
    if (ll == NULL) {
        report(ready, "Ethe image cannot be read by squashfuse");
        _exit(1);
    }
    struct server s = {.lock = PTHREAD_MUTEX_INITIALIZER, .keepalive = keepalive};
    char fsname[256];
    fsname_for(img->path, fsname, sizeof fsname);
    if (fuse_mount_acquire(&s.mount, mountpoint, fsname, message + 1, sizeof message - 1) != 0) {
        message[0] = 'E';
        report(ready, message);
        _exit(1);
    }
    struct fuse_lowlevel_ops ops;
    init_ops(&ops);
    char *argv[] = {"appimage", NULL};
    struct fuse_args args = FUSE_ARGS_INIT(1, argv);
    struct fuse_session *se = fuse_session_new(&args, &ops, sizeof ops, ll);
    char devfd[32];
    snprintf(devfd, sizeof devfd, "/dev/fd/%d", s.mount.fd);
    if (se == NULL || fuse_session_mount(se, devfd) != 0) {
        release_once(&s);
        report(ready, "Ecannot start the FUSE session");
        _exit(1);
    }
    pthread_t watcher;
    if (pthread_create(&watcher, NULL, watch_keepalive, &s) != 0) {
        release_once(&s);
        report(ready, "Ecannot start the keep-alive watcher");
        _exit(1);
    }
    report(ready, "K");
    fuse_session_loop(se);
    /* The loop ends when the kernel drops the connection: after our lazy
     * unmount, or when someone else unmounted or aborted it. */
    release_once(&s);
    fuse_session_destroy(se);
    rmdir(mountpoint);
    _exit(0);
}

static int make_mountpoint(const struct image *img, char *out, size_t outlen)
{
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] != '/')
        tmp = "/tmp";
    const char *base = strrchr(img->path, '/');
    char prefix[7];
    snprintf(prefix, sizeof prefix, "%s", base ? base + 1 : "image");
    snprintf(out, outlen, "%s/.mount_%sXXXXXX", tmp, prefix);
    return mkdtemp(out) != NULL ? 0 : -1;
}

int fuse_serve_image(const struct image *img, char *mountpoint, size_t mountlen, char *why,
                     size_t whylen)
{
    if (make_mountpoint(img, mountpoint, mountlen) != 0) {
        snprintf(why, whylen, "cannot create a mount point: %s", strerror(errno));
        return -1;
    }
    int ready[2], keepalive[2];
    if (pipe2(ready, O_CLOEXEC) != 0 || pipe(keepalive) != 0) {
        snprintf(why, whylen, "pipe: %s", strerror(errno));
        rmdir(mountpoint);
        return -1;
    }
    fcntl(keepalive[0], F_SETFD, FD_CLOEXEC);
    pid_t pid = fork();
    if (pid == 0) {
        close(ready[0]);
        close(keepalive[1]);
        serve(img, mountpoint, ready[1], keepalive[0]);
    }
    close(ready[1]);
    close(keepalive[0]);
    char answer[600] = "";
    struct pollfd pfd = {.fd = ready[0], .events = POLLIN};
    int polled = pid > 0 ? poll(&pfd, 1, READY_TIMEOUT_MS) : -1;
    ssize_t got = polled > 0 ? read(ready[0], answer, sizeof answer - 1) : -1;
    close(ready[0]);
    if (got > 0 && answer[0] == 'K')
        return 0; /* keepalive[1] stays open, inherited by the application */
    close(keepalive[1]);
    if (pid > 0 && got <= 0)
        kill(pid, SIGKILL); /* hung or died: make sure, then clean up after it */
    if (pid > 0)
        waitpid(pid, NULL, 0);
    if (got <= 0)
        fuse_mount_force_release(mountpoint);
    rmdir(mountpoint);
    if (got > 0)
        snprintf(why, whylen, "%s", answer + 1);
    else
        snprintf(why, whylen, "the FUSE server did not start");
    return -1;
}
