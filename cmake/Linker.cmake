# SPDX-License-Identifier: GPL-3.0-or-later
# LLVM's lld where the compiler can use it: the suite links about a hundred
# executables from the same static libraries, and lld links each several
# times faster than GNU ld (tst_mainwindow: 5.2 s with ld.bfd, 1.0 s with lld).
# That is minutes of every CI run's three builds. Without lld, the default.
include(CheckLinkerFlag)
check_linker_flag(CXX -fuse-ld=lld SOCKSCOPE_LINKER_LLD)
if(SOCKSCOPE_LINKER_LLD)
    add_link_options(-fuse-ld=lld)
endif()
