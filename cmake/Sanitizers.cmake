# SPDX-License-Identifier: GPL-3.0-or-later
# SOCKSCOPE_SANITIZE=address|thread builds everything instrumented, for
# scripts/ci/sanitized.sh (README.md, "Sanitizer passes"). address needs
# clang (its runtime, libclang-rt-dev, and libFuzzer); thread needs gcc: clang
# 14's TSan runtime fails a CHECK in a child started by Qt's clone()
# (QProcess), gcc 12's (libtsan2) does not.
set(SOCKSCOPE_SANITIZE "" CACHE STRING
    "Build with sanitizers: address (ASan+UBSan), thread (TSan), or empty")
set_property(CACHE SOCKSCOPE_SANITIZE PROPERTY STRINGS "" address thread)

if(SOCKSCOPE_SANITIZE STREQUAL "")
    return()
endif()
if(SOCKSCOPE_SANITIZE STREQUAL "address")
    # UBSan rides along: it costs little and both want the same test run.
    # Not UBSan's vptr check: it probes memory through a pipe, so in a process
    # at its descriptor limit (tst_labexhaustion, on purpose) every virtual
    # call it checks is reported as "invalid vptr".
    set(sanitize_flags -fsanitize=address,undefined -fno-sanitize=vptr
        -fno-sanitize-recover=undefined)
elseif(SOCKSCOPE_SANITIZE STREQUAL "thread")
    set(sanitize_flags -fsanitize=thread)
else()
    message(FATAL_ERROR "SOCKSCOPE_SANITIZE='${SOCKSCOPE_SANITIZE}' is not a sanitizer: "
                        "use address, thread, or leave it empty")
endif()
if(SOCKSCOPE_SANITIZE STREQUAL "address")
    set(wanted_compiler Clang)
    set(wanted_cc clang)
    set(wanted_cxx clang++)
    # Line tables keep reports readable at a fraction of full debug
    # information's cost.
    set(debug_flag -gline-tables-only)
else()
    set(wanted_compiler GNU)
    set(wanted_cc gcc)
    set(wanted_cxx g++)
    set(debug_flag -g1) # gcc's line tables only
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL wanted_compiler
   OR NOT CMAKE_C_COMPILER_ID STREQUAL wanted_compiler)
    message(FATAL_ERROR "SOCKSCOPE_SANITIZE=${SOCKSCOPE_SANITIZE} needs ${wanted_cxx} "
                        "(found ${CMAKE_CXX_COMPILER_ID}): configure a fresh build directory "
                        "with CC=${wanted_cc} CXX=${wanted_cxx}")
endif()
message(STATUS "Sanitizers: ${sanitize_flags}")
# These come after the build type's flags, so they win over its -O2 -g.
# -O0 halves the instrumented compile (the pass's largest cost) while the
# tests, which mostly wait on sockets, barely slow down.
add_compile_options(${sanitize_flags} -fno-omit-frame-pointer -O0 ${debug_flag})
add_link_options(${sanitize_flags})
