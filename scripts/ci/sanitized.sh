#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# scripts/ci/sanitized.sh address|thread: build the suite instrumented in its
# own directory and run it; any sanitizer report fails the pass.
#   address  ASan + UBSan + LSan, every test but the AppImage ones (incl. fuzz)
#   thread   TSan (gcc), every test but the AppImage ones and the fuzz replays
# SOCKSCOPE_SANITIZE_BUILD_DIR overrides the directory (build-asan, build-tsan).
# Suppressions (system libraries only, each with its reason): tests/sanitizers/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

kind=${1:-}
# Which tests run (ctest arguments), also what gets built.
case "$kind" in
address)
    default_dir=build-asan
    select=(-LE appimage)
    ;;
thread)
    default_dir=build-tsan
    # Built with gcc (libtsan2): clang 14's TSan fails a CHECK in a child
    # started through Qt's clone() ("tsan_rtl.cpp:234 ((!thr->slot)) != (0)"
    # in ForkAfter), gcc 12's runs the tests that start `sockscope` (QProcess)
    # and the lab's server processes. Debian's Qt is not built with TSan: what
    # it hands between threads goes through a std::mutex of ours (the poller's
    # mailbox) or carries TSan annotations at our side
    # (core/util/threadhandover.h), and its own allocations are left out of
    # the picture (ignore_noninstrumented_modules, below).
    # Every test, the windows' included (the poller, the lab session, the
    # picker's listing and the ssh session hand their results to the GUI
    # thread), but the fuzz replays (label fuzzreplay: each parser runs on one
    # thread; the address pass replays them under ASan and UBSan).
    select=(-LE 'appimage|fuzzreplay')
    ;;
*)
    echo "usage: scripts/ci/sanitized.sh address|thread" >&2
    exit 2
    ;;
esac
build_dir=${SOCKSCOPE_SANITIZE_BUILD_DIR:-$default_dir}
jobs=${SOCKSCOPE_JOBS:-2}

# address: clang (libFuzzer, libclang-rt-dev); thread: gcc (libtsan2), whose
# TSan survives Qt's clone() (cmake/Sanitizers.cmake).
if [ "$kind" = address ]; then
    cc=clang cxx=clang++ runtime="clang and libclang-rt-dev"
else
    cc=gcc cxx=g++ runtime="g++ and libtsan2"
fi
for tool in "$cc" "$cxx"; do
    command -v "$tool" >/dev/null || {
        echo "sanitized.sh: $tool is missing: install $runtime (scripts/dev.sh deps does)" >&2
        exit 1
    }
done

configure=(-DSOCKSCOPE_SANITIZE="$kind" -DCMAKE_BUILD_TYPE=RelWithDebInfo)
# The fuzz targets (another option, when the tree has it) build under ASan.
if [ "$kind" = address ] && grep -qs SOCKSCOPE_FUZZ CMakeLists.txt cmake/*.cmake tests/CMakeLists.txt; then
    configure+=(-DSOCKSCOPE_FUZZ=ON)
fi
CC=$cc CXX=$cxx cmake -S . -B "$build_dir" -G Ninja "${configure[@]}"

# Only what the tests run: each test's executable (tests that start
# `sockscope` depend on it), never the AppImage, its tools or the benches.
tests=$(ctest --test-dir "$build_dir" -N "${select[@]}" | sed -n 's/^ *Test *#[0-9]*: //p')
abs_dir=$(cd "$build_dir" && pwd)
targets=()
while read -r name path; do
    if grep -qxF "$name" <<<"$tests" && [[ "$path" == "$abs_dir"/* ]]; then
        targets+=("${path#"$abs_dir"/}")
    fi
done < <(find "$build_dir" -name CTestTestfile.cmake -exec \
    sed -n 's/^add_test(\[=\[\([^]]*\)\]=\] "\([^"]*\)".*/\1 \2/p' {} +)
# The fuzz smoke tests start their fuzzer through cmake -P.
if [ -n "${configure[*]}" ] && [[ " ${configure[*]} " == *" -DSOCKSCOPE_FUZZ=ON "* ]]; then
    targets+=(fuzzers)
fi
[ ${#targets[@]} -gt 0 ] || {
    echo "sanitized.sh: no test executables found in $build_dir" >&2
    exit 1
}
cmake --build "$build_dir" -j"$jobs" --target "${targets[@]}"

# Reports go to files as well as to the test's output: a child process (the
# lab's servers, `sockscope` started by a test) may have its stderr swallowed.
reports=$abs_dir/sanitizer-reports
rm -rf "$reports" && mkdir -p "$reports"
supp=$root/tests/sanitizers
common="halt_on_error=1:log_path=$reports/report:log_exe_name=1"
export UBSAN_OPTIONS="$common:print_stacktrace=1"
export ASAN_OPTIONS="$common:detect_leaks=1:detect_stack_use_after_return=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
# ignore_noninstrumented_modules: Qt's own allocations (a queued call's
# event, its thread pools' work), made and freed on two threads in Qt's frames
# and ordered by its futexes, are not SockScope's; its code stays checked.
# die_after_fork=0: tst_remotesource, tst_remotelab, tst_prometheus and
# tst_labnamespace died with "starting new threads after multi-threaded fork"
# as soon as they started an ssh session (QProcess on the session's thread),
# prometheus or a lab server in a namespace: TSan takes the forked child of a
# multi-threaded process, on its way to exec, for one that starts threads
# (which call in Qt's child side does it was not pinned down). Those children
# only exec, and with this the four run clean: TSan still checks the parent.
export TSAN_OPTIONS="$common:second_deadlock_stack=1:ignore_noninstrumented_modules=1:die_after_fork=0:suppressions=$supp/tsan.supp"

run=()
if [ "$kind" = thread ]; then
    # TSan of this generation (clang 14, gcc 12) expects the memory layout
    # of 28 random mmap bits; Ubuntu 24.04 uses 32 and TSan then dies with
    # "unexpected memory mapping". Without address randomisation it fits.
    run=(setarch "$(uname -m)" -R)
fi
# Tests run two at a time (each works in its own network namespace); in the
# address pass two more slots hold the fuzz smoke runs, two at a time, niced
# (tests/fuzz/CMakeLists.txt), beside them.
# The timeout allows for the slowdown (ASan ~2x, TSan up to ~15x).
test_jobs=$jobs
if [ "$kind" = address ]; then
    test_jobs=$((jobs + 2))
fi
status=0
"${run[@]}" ctest --test-dir "$build_dir" "${select[@]}" -j"$test_jobs" --timeout 1200 \
    --output-on-failure || status=$?

if compgen -G "$reports/report*" >/dev/null; then
    echo "sanitized.sh: $kind sanitizer reports:" >&2
    cat "$reports"/report* >&2
    status=1
fi
exit "$status"
