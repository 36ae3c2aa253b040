// SPDX-License-Identifier: GPL-3.0-or-later
#include "windowmodule.h"

#include <cstdio>
#include <dlfcn.h>
#include <filesystem>
#include <string>
#include <system_error>

namespace sockscope {

namespace {
std::filesystem::path executableDirectory()
{
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::filesystem::path() : self.parent_path();
}
} // namespace

int runWindowModule(int argc, char **argv)
{
    using Entry = int (*)(int, char **);
    const std::filesystem::path directory = executableDirectory();
    std::string tried;
    for (const char *relative : {SOCKSCOPE_WINDOW_MODULE_INSTALLED, SOCKSCOPE_WINDOW_MODULE}) {
        const std::filesystem::path candidate = (directory / relative).lexically_normal();
        if (!std::filesystem::exists(candidate)) {
            tried += (tried.empty() ? "" : ", ") + candidate.string();
            continue;
        }
        // RTLD_LOCAL: the module's copies of the engine stay its own.
        void *module = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!module) {
            std::fprintf(stderr,
                         "sockscope: cannot load the window (%s); 'sockscope dump' and "
                         "'sockscope watch' work without it\n",
                         ::dlerror());
            return 1;
        }
        auto entry = reinterpret_cast<Entry>(::dlsym(module, "sockscope_window_main"));
        if (!entry) {
            std::fprintf(stderr, "sockscope: %s is not a SockScope window module (%s)\n",
                         candidate.c_str(), ::dlerror());
            return 1;
        }
        return entry(argc, argv);
    }
    std::fprintf(stderr,
                 "sockscope: the window module is not installed (looked for %s); reinstall "
                 "SockScope, or use 'sockscope dump' and 'sockscope watch', which work "
                 "without it\n",
                 tried.c_str());
    return 1;
}

} // namespace sockscope
