# SPDX-License-Identifier: GPL-3.0-or-later
# One smoke run of a fuzzer (ctest's fuzz_smoke_X): the seeds and saved crashes
# are copied into WORK, so the run neither grows the committed corpus nor
# meets another target's files; a crash leaves its input in WORK/artifacts.
#   cmake -DFUZZER=... -DSEEDS=dir -DCRASHES=dir -DWORK=dir -DSECONDS=60 -P smokerun.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/corpus ${WORK}/artifacts)
file(COPY ${SEEDS}/ DESTINATION ${WORK}/corpus)
if(EXISTS ${CRASHES})
    file(COPY ${CRASHES}/ DESTINATION ${WORK}/corpus)
endif()
# Niced: the run lasts its SECONDS whatever CPU it gets, and the tests that run
# beside it (timing-dependent, some) come first.
execute_process(
    COMMAND nice -n 10 ${FUZZER} -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048
            -print_final_stats=1 -close_fd_mask=1 -artifact_prefix=${WORK}/artifacts/
            ${WORK}/corpus
    WORKING_DIRECTORY ${WORK}
    RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "${FUZZER} failed (${result}): the input is in ${WORK}/artifacts; "
                        "copy it to tests/fuzz/crashes/ once fixed")
endif()
