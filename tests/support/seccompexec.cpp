// SPDX-License-Identifier: GPL-3.0-or-later
// seccomp_exec sock_diag|bpf ERRNO PROGRAM [ARGUMENT...]: runs PROGRAM under
// the filter of seccompdeny.h that makes that call fail with ERRNO. The
// tests start it instead of filtering in a QProcess child modifier: Qt runs
// the modifier in a clone() child on a small stack, where a sanitizer's
// runtime (TSan) cannot run.
#include "seccompdeny.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace {
constexpr int kUsage = 2;
constexpr int kNoFilter = 97; // as the tests expect when the kernel refused the filter
constexpr int kNoExec = 127;
} // namespace

int main(int argc, char **argv)
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: seccomp_exec sock_diag|bpf ERRNO PROGRAM [ARGUMENT...]\n");
        return kUsage;
    }
    char *end = nullptr;
    const long errnum = std::strtol(argv[2], &end, 10);
    if (*argv[2] == '\0' || *end != '\0' || errnum <= 0 || errnum > 4095) {
        std::fprintf(stderr, "seccomp_exec: '%s' is not an errno number\n", argv[2]);
        return kUsage;
    }
    bool installed = false;
    if (std::strcmp(argv[1], "sock_diag") == 0) {
        installed = sockscope::test::denySockDiag(static_cast<int>(errnum));
    } else if (std::strcmp(argv[1], "bpf") == 0) {
        installed = sockscope::test::denyBpf(static_cast<int>(errnum));
    } else {
        std::fprintf(stderr, "seccomp_exec: '%s' is not sock_diag or bpf\n", argv[1]);
        return kUsage;
    }
    if (!installed)
        return kNoFilter;
    ::execv(argv[3], argv + 3);
    std::perror("seccomp_exec: execv");
    return kNoExec;
}
