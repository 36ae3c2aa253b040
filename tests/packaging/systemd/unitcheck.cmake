# SPDX-License-Identifier: GPL-3.0-or-later
# cmake -DUNIT=packaging/systemd/sockscope-exporter.service -DBINARY=build/app/sockscope
#       -DMAX_EXPOSURE=3.0 -P unitcheck.cmake
# The exporter's unit as systemd reads it: `systemd-analyze verify` finds no
# error, and `systemd-analyze security --offline=yes` rates its exposure below
# MAX_EXPOSURE (0 = fully locked down, 10 = unprotected). verify insists that
# ExecStart exists, so a copy of the unit points it at the binary just built.
find_program(SYSTEMD_ANALYZE systemd-analyze)
if(NOT SYSTEMD_ANALYZE)
    message("SKIPPED: systemd-analyze not found (Debian's systemd package)")
    return()
endif()
get_filename_component(name "${UNIT}" NAME)
# In TMPDIR, not the build dir: the unprivileged pass may not write there.
set(WORK "$ENV{TMPDIR}")
if(NOT WORK)
    set(WORK /tmp)
endif()
string(RANDOM LENGTH 12 suffix)
set(WORK "${WORK}/sockscope-unitcheck-${suffix}")
file(MAKE_DIRECTORY "${WORK}")
file(READ "${UNIT}" text)
string(REPLACE "ExecStart=/usr/bin/sockscope " "ExecStart=${BINARY} " copy "${text}")
if(copy STREQUAL text)
    message(FATAL_ERROR "${name}: no 'ExecStart=/usr/bin/sockscope ' line to check")
endif()
file(WRITE "${WORK}/${name}" "${copy}")

execute_process(COMMAND ${SYSTEMD_ANALYZE} verify "${WORK}/${name}"
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
execute_process(COMMAND ${SYSTEMD_ANALYZE} security --offline=yes --no-pager "${WORK}/${name}"
    RESULT_VARIABLE securityStatus OUTPUT_VARIABLE security ERROR_VARIABLE security)
file(REMOVE_RECURSE "${WORK}")
message("systemd-analyze verify (exit ${status}):\n${out}")
# verify also reports the host's own units it loads as dependencies; only
# lines about ours count.
string(REGEX MATCHALL "[^\n]*${name}[^\n]*" ours "${out}")
if(NOT status EQUAL 0 OR ours)
    message(FATAL_ERROR "systemd-analyze verify found problems in ${name}")
endif()

set(status ${securityStatus})
set(out "${security}")
if(out MATCHES "nrecognized option|nknown option")
    message("SKIPPED: this systemd-analyze has no 'security --offline' (systemd 250 and later)")
    return()
endif()
if(NOT out MATCHES "Overall exposure level for [^:]*: ([0-9]+\\.[0-9]+)")
    message(FATAL_ERROR "systemd-analyze security printed no exposure level (exit ${status}):\n${out}")
endif()
set(exposure ${CMAKE_MATCH_1})
string(REGEX MATCHALL "\n✗[^\n]*" exposed "${out}")
string(REPLACE ";" "" exposed "${exposed}")
message("exposure ${exposure} (at most ${MAX_EXPOSURE} allowed); what is still exposed, and why it must be, in the unit's comments:${exposed}")
if(exposure GREATER MAX_EXPOSURE)
    message(FATAL_ERROR "${name}: exposure ${exposure} is above ${MAX_EXPOSURE}")
endif()
