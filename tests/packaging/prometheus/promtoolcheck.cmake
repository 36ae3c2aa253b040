# SPDX-License-Identifier: GPL-3.0-or-later
# cmake -DRULES_DIR=packaging/prometheus -P promtoolcheck.cmake
# The alert rules and the example scrape config as Prometheus's own tool reads
# them, and the rules' unit tests (sockscope-rules.test.yml).
find_program(PROMTOOL promtool)
if(NOT PROMTOOL)
    message("SKIPPED: promtool not found; install Debian's prometheus package (scripts/apt-packages.txt)")
    return()
endif()
foreach(check "check;rules;sockscope-rules.yml" "check;config;scrape-config.yml"
        "test;rules;sockscope-rules.test.yml")
    execute_process(COMMAND ${PROMTOOL} ${check} WORKING_DIRECTORY ${RULES_DIR}
        RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
    string(REPLACE ";" " " shown "${check}")
    message("promtool ${shown}:\n${out}")
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "promtool ${shown} failed (exit ${status})")
    endif()
endforeach()
