# SPDX-License-Identifier: GPL-3.0-or-later
# SOCKSCOPE_SANITIZE=address|thread builds everything instrumented, for
# scripts/ci/sanitized.sh (README.md, "Sanitizer passes"). Clang only: the
# flags below and Debian's runtime (libclang-rt-dev) are clang's.
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
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SOCKSCOPE_SANITIZE needs clang (found ${CMAKE_CXX_COMPILER_ID}): "
                        "configure a fresh build directory with CC=clang CXX=clang++")
endif()
message(STATUS "Sanitizers: ${sanitize_flags}")
# These come after the build type's flags, so they win over its -O2 -g.
# -O0 halves the instrumented compile (the pass's largest cost) while the
# tests, which mostly wait on sockets, barely slow down; line tables keep
# reports readable at a fraction of full debug information's cost.
add_compile_options(${sanitize_flags} -fno-omit-frame-pointer -O0 -gline-tables-only)
add_link_options(${sanitize_flags})
