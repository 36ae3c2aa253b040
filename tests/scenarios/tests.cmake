# SPDX-License-Identifier: GPL-3.0-or-later
# Explanations, the lab console and the scenarios S1-S6 against the real kernel,
# each test in its own network namespace (fixed ports, 60 s TIME_WAIT timers).
sockscope_add_test(tst_explainer SOURCES scenarios/tst_explainer.cpp LABELS lab scenarios)
# These drive `sockscope lab` / `sockscope scenario` and start server children.
foreach(test tst_labconsole tst_scenarios)
    sockscope_add_test(${test} SOURCES scenarios/${test}.cpp LABELS lab scenarios)
    target_compile_definitions(${test} PRIVATE SOCKSCOPE_BINARY="$<TARGET_FILE:sockscope>")
    add_dependencies(${test} sockscope)
endforeach()
