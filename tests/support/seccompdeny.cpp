// SPDX-License-Identifier: GPL-3.0-or-later
#include "seccompdeny.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

namespace sockscope::test {

namespace {
#if defined(__x86_64__)
constexpr unsigned kArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kArch = AUDIT_ARCH_AARCH64;
#else
constexpr unsigned kArch = 0;
#endif

// The low 32 bits of argument n (little-endian; socket()'s arguments are ints).
constexpr unsigned argument(int n)
{
    return unsigned(offsetof(seccomp_data, args) + n * sizeof(__u64));
}

unsigned denial(int errnum)
{
    return SECCOMP_RET_ERRNO | (unsigned(errnum) & SECCOMP_RET_DATA);
}

// Allows every system call but `nr`, which `body` judges (its instructions end
// in returns). No allocation: this runs between fork and exec.
bool installFor(unsigned nr, std::initializer_list<sock_filter> body)
{
    const sock_filter prologue[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kArch, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    std::array<sock_filter, 32> program{};
    const std::size_t length = std::size(prologue) + body.size();
    if (kArch == 0 || length > program.size())
        return false;
    std::copy(std::begin(prologue), std::end(prologue), program.begin());
    std::copy(body.begin(), body.end(), program.begin() + std::size(prologue));
    const sock_fprog filter{static_cast<unsigned short>(length), program.data()};
    // Without this, only CAP_SYS_ADMIN may install a filter.
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return false;
    return ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &filter) == 0;
}
} // namespace

bool denySockDiag(int errnum)
{
    return installFor(__NR_socket, {
                                       BPF_STMT(BPF_LD | BPF_W | BPF_ABS, argument(0)),
                                       BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 1, 0),
                                       BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
                                       BPF_STMT(BPF_LD | BPF_W | BPF_ABS, argument(2)),
                                       BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NETLINK_SOCK_DIAG, 0, 1),
                                       BPF_STMT(BPF_RET | BPF_K, denial(errnum)),
                                       BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
                                   });
}

bool denyBpf(int errnum)
{
    return installFor(__NR_bpf, {BPF_STMT(BPF_RET | BPF_K, denial(errnum))});
}

} // namespace sockscope::test
