#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# scripts/ci/sanitized.sh address|thread: build the suite instrumented in its
# own directory and run it; any sanitizer report fails the pass.
#   address  ASan + UBSan + LSan, every test but the AppImage ones (incl. fuzz)
#   thread   TSan, the core and command-line tests (see below)
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
    # Debian's Qt is not built with TSan and hands work between threads with
    # futex-based mutexes it cannot see: a queued call into the poller's worker
    # or from the lab's accept thread to its listener, and QThread::wait()
    # before the worker is deleted, look like races in our code
    # (tests/sanitizers/tsan.supp covers what can be matched in Qt's own
    # frames). The poller's users (tst_poller, tst_tracedpoller,
    # tst_tracedladder), tst_lab and the windows (ui)
    # report only that, so they stay out until those hand-overs carry TSan
    # annotations. The tests that start processes through QProcess (those
    # that run the sockscope binary) stop in clang 14's TSan itself: a CHECK
    # fails in its fork handling ("tsan_rtl.cpp:234 ((!thr->slot)) != (0)" in
    # ForkAfter, after Qt's clone()). Covered: the lab's accept threads and
    # clients (tst_labaccepted, tst_labclients), the trace source, and the
    # single-threaded core tests.
    # Named one by one: a new test joins once it is seen to run clean here
    # (most new ones run the poller or the binary, see above).
    select=(-LE 'appimage|ui' -R '^(tst_diagparser|tst_livedump|tst_owners|tst_traceevent|tst_tracesource|tst_tracker|tst_segmentladder|tst_connectionhistory|tst_socketjson|tst_sockettext|tst_explainer|tst_systemlimits|tst_labclients|tst_labaccepted|tst_guioptions|tst_layers|fuzz_replay_.*)$')
    ;;
*)
    echo "usage: scripts/ci/sanitized.sh address|thread" >&2
    exit 2
    ;;
esac
build_dir=${SOCKSCOPE_SANITIZE_BUILD_DIR:-$default_dir}
jobs=${SOCKSCOPE_JOBS:-2}

for tool in clang clang++; do
    command -v "$tool" >/dev/null || {
        echo "sanitized.sh: $tool is missing: install clang and libclang-rt-dev (scripts/dev.sh deps does)" >&2
        exit 1
    }
done

configure=(-DSOCKSCOPE_SANITIZE="$kind" -DCMAKE_BUILD_TYPE=RelWithDebInfo)
# The fuzz targets (another option, when the tree has it) build under ASan.
if [ "$kind" = address ] && grep -qs SOCKSCOPE_FUZZ CMakeLists.txt cmake/*.cmake tests/CMakeLists.txt; then
    configure+=(-DSOCKSCOPE_FUZZ=ON)
fi
CC=clang CXX=clang++ cmake -S . -B "$build_dir" -G Ninja "${configure[@]}"

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
export TSAN_OPTIONS="$common:second_deadlock_stack=1:suppressions=$supp/tsan.supp"

run=()
if [ "$kind" = thread ]; then
    # Clang 14's TSan expects the memory layout of 28 random mmap bits;
    # Ubuntu 24.04 uses 32 and TSan then dies with "unexpected memory
    # mapping". Without address randomisation the layout fits everywhere.
    run=(setarch "$(uname -m)" -R)
fi
# Tests run two at a time: each works in its own network namespace.
# The timeout allows for the slowdown (ASan ~2x, TSan up to ~15x).
status=0
"${run[@]}" ctest --test-dir "$build_dir" "${select[@]}" -j"$jobs" --timeout 1200 \
    --output-on-failure || status=$?

if compgen -G "$reports/report*" >/dev/null; then
    echo "sanitized.sh: $kind sanitizer reports:" >&2
    cat "$reports"/report* >&2
    status=1
fi
exit "$status"
