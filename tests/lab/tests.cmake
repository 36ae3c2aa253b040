# SPDX-License-Identifier: GPL-3.0-or-later
# The lab objects against the real kernel, each test in its own network namespace.
add_library(sockscope_labtesting STATIC lab/labtesting.h lab/labtesting.cpp)
target_link_libraries(sockscope_labtesting PUBLIC sockscope_testsupport)

sockscope_add_test(tst_lab SOURCES lab/tst_lab.cpp LIBS sockscope_labtesting LABELS lab live)
sockscope_add_test(tst_labclients SOURCES lab/tst_labclients.cpp LIBS sockscope_labtesting
                   LABELS lab live)
# These start `sockscope __lab-server` children.
foreach(test tst_labservers tst_labdescriptors)
    sockscope_add_test(${test} SOURCES lab/${test}.cpp LIBS sockscope_labtesting LABELS lab live)
    target_compile_definitions(${test} PRIVATE SOCKSCOPE_BINARY="$<TARGET_FILE:sockscope>")
    add_dependencies(${test} sockscope)
endforeach()
