// SPDX-License-Identifier: GPL-3.0-or-later
#include "trace/tracepermissions.h"

#include <cerrno>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sockscope {

namespace {
// Older headers lack the capabilities added in 5.8.
constexpr int kCapPerfmon = 38;
constexpr int kCapBpf = 39;
constexpr const char *kBtfPath = "/sys/kernel/btf/vmlinux";

bool hasCapability(const __user_cap_data_struct (&data)[2], int capability)
{
    return data[capability / 32].effective & (1u << (capability % 32));
}
} // namespace

Status checkTracePermissions()
{
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    // libcap is not worth a dependency for one read of our own capability set.
    if (::syscall(SYS_capget, &header, data) != 0)
        return Error::fromErrno(errno, QStringLiteral("reading this process's capabilities"));
    if (hasCapability(data, CAP_SYS_ADMIN) ||
        (hasCapability(data, kCapBpf) && hasCapability(data, kCapPerfmon)))
        return Ok{};
    return Error{EPERM, QStringLiteral("tracing TCP transitions needs CAP_BPF and CAP_PERFMON: "
                                       "run as root, or give the native executable "
                                       "cap_bpf,cap_perfmon+ep with setcap; the AppImage is "
                                       "mounted nosuid so capabilities cannot work there")};
}

Status checkKernelBtf()
{
    if (::access(kBtfPath, R_OK) == 0)
        return Ok{};
    const int error = errno;
    return Error{error, QStringLiteral("the kernel exposes no BTF at %1 (%2): tracing needs a "
                                       "kernel built with CONFIG_DEBUG_INFO_BTF=y")
                            .arg(QLatin1String(kBtfPath), Error{error, {}}.errnoName())};
}

} // namespace sockscope
