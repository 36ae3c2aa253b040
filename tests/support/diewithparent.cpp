// SPDX-License-Identifier: GPL-3.0-or-later
// die_with_parent PROGRAM [ARGUMENT...]: runs PROGRAM so that the kernel kills
// it when the process that started it dies (PR_SET_PDEATHSIG). The tests start
// their servers (sshd, prometheus, `sockscope exporter`) through it: a test
// killed abruptly (a timeout, a sanitizer stopping it) runs no cleanup, and its
// servers would otherwise live on, holding their ports. Set in this process
// rather than in a QProcess child modifier, which Qt runs in a clone() child
// where a sanitizer's runtime cannot run.
#include <csignal>
#include <cstdio>
#include <sys/prctl.h>
#include <unistd.h>

namespace {
constexpr int kUsage = 2;
constexpr int kNoExec = 127;
} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: die_with_parent PROGRAM [ARGUMENT...]\n");
        return kUsage;
    }
    const pid_t parent = ::getppid();
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
        std::perror("die_with_parent: prctl(PR_SET_PDEATHSIG)");
        return kNoExec;
    }
    // The parent may have died before the signal was asked for.
    if (::getppid() != parent)
        return kNoExec;
    ::execv(argv[1], argv + 1);
    std::perror("die_with_parent: execv");
    return kNoExec;
}
