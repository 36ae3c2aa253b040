// SPDX-License-Identifier: GPL-3.0-or-later
#include "netlink/portfilter.h"

#include <array>
#include <cstring>
#include <linux/inet_diag.h>

namespace sockscope {

// The kernel runs the program from the start: a true test jumps `yes` bytes, a
// false one `no` bytes; landing exactly on the end accepts the socket, landing 4
// bytes past it rejects. inet_diag_bc_audit() walks the program along the `yes`
// jumps only and insists that every `no` target lies on that path, so the
// accepting jump of the first test has to go through a JMP op on the path instead
// of straight to the end. Port values ride in the `no` field of the op after a
// test, in host byte order.
//
//   0  S_EQ  yes -> 8 (JMP)   no -> 12 (D_EQ)
//   4  port
//   8  JMP   (always "no")    no -> 20 (end: accept)
//  12  D_EQ  yes -> 20 (end)  no -> 24 (end + 4: reject)
//  16  port
QByteArray portFilterBytecode(std::uint16_t port)
{
    constexpr auto kOp = static_cast<std::uint16_t>(sizeof(inet_diag_bc_op));
    constexpr std::uint16_t kLength = 5 * kOp;
    const std::array<inet_diag_bc_op, 5> program = {{
        {INET_DIAG_BC_S_EQ, 2 * kOp, 3 * kOp},
        {0, 0, port},
        {INET_DIAG_BC_JMP, kOp, 3 * kOp},
        {INET_DIAG_BC_D_EQ, 2 * kOp, 3 * kOp},
        {0, 0, port},
    }};
    static_assert(sizeof program == kLength);
    QByteArray bytecode(kLength, Qt::Uninitialized);
    std::memcpy(bytecode.data(), program.data(), kLength);
    return bytecode;
}

} // namespace sockscope
