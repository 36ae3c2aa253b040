# SPDX-License-Identifier: GPL-3.0-or-later
# SOCKSCOPE_FUZZ: libFuzzer targets for the parsers (tests/fuzz, docs/FUZZING.md).
# The whole build gets the coverage instrumentation, so the fuzzers see
# inside the libraries they call; only the fuzzers link libFuzzer's main.
option(SOCKSCOPE_FUZZ "Build the libFuzzer targets of tests/fuzz (needs clang)" OFF)

if(SOCKSCOPE_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR
            "SOCKSCOPE_FUZZ needs clang (libFuzzer), but the compilers are "
            "${CMAKE_C_COMPILER_ID} / ${CMAKE_CXX_COMPILER_ID}: configure a new build "
            "directory with CC=clang CXX=clang++ (Debian: apt-get install clang "
            "libclang-rt-14-dev), or leave SOCKSCOPE_FUZZ off")
    endif()
    include(CheckCXXSourceCompiles)
    set(CMAKE_REQUIRED_FLAGS -fsanitize=fuzzer)
    check_cxx_source_compiles([[
        #include <cstddef>
        #include <cstdint>
        extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *, std::size_t) { return 0; }
    ]] SOCKSCOPE_HAVE_LIBFUZZER)
    unset(CMAKE_REQUIRED_FLAGS)
    if(NOT SOCKSCOPE_HAVE_LIBFUZZER)
        message(FATAL_ERROR
            "SOCKSCOPE_FUZZ: clang cannot link -fsanitize=fuzzer: install libFuzzer's "
            "runtime (Debian 12: apt-get install libclang-rt-14-dev)")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link)
endif()
