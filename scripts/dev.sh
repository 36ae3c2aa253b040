#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One entry point for a fresh Debian 12 / Ubuntu 24.04 machine:
#   scripts/dev.sh run    install packages, build, start the window
#   scripts/dev.sh test   install packages, build, run every test pass
#   scripts/dev.sh test main|unprivileged|address|thread   only those passes
#   scripts/dev.sh deps | build
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${SOCKSCOPE_BUILD_DIR:-build}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

apt_install() {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

deps() {
    local lists missing=() optional=() package
    lists=$( (cat scripts/apt-packages.txt packaging/apt-packages.txt 2>/dev/null || true) | grep -v '^#')
    # Only what is missing: re-runs stay fast and work offline.
    for package in $(echo "$lists" | awk 'NF && $2 != "optional" { print $1 }'); do
        installed "$package" || missing+=("$package")
    done
    for package in $(echo "$lists" | awk '$2 == "optional" { print $1 }'); do
        installed "$package" || optional+=("$package")
    done
    if [ ${#missing[@]} -gt 0 ] || [ ${#optional[@]} -gt 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        apt_install "${missing[@]}"
        # Packages that start a system-wide server where systemd runs (prometheus
        # on :9090, sshd on :22 of every address): the tests start their own on
        # loopback, so a server that only this install brought is stopped again.
        # One the machine already had is left as it was.
        if [ -d /run/systemd/system ]; then
            if [[ " ${missing[*]} " == *" prometheus "* ]]; then
                as_root systemctl disable --now prometheus.service || true
            fi
            if [[ " ${missing[*]} " == *" openssh-server "* ]]; then
                as_root systemctl disable --now ssh.socket ssh.service 2>/dev/null || true
            fi
        fi
    fi
    for package in "${optional[@]}"; do
        apt_install "$package" ||
            echo "dev.sh: optional package $package is not available; going on without it" >&2
    done
}

build() {
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
    cmake --build "$build_dir" -j"$(nproc)"
}

# One pass per way of running the suite; `scripts/dev.sh test` runs them all,
# `scripts/dev.sh test PASS...` only those named. Each pass script says what it
# skipped and why.
all_passes="main unprivileged address thread"

run_pass() {
    case "$1" in
    main)
        # Tests open sockets in private network namespaces when run as root; as a
        # normal user those cases are skipped with the reason, the rest still run.
        # Two at a time: each test works in its own network namespace.
        ctest --test-dir "$build_dir" --output-on-failure --timeout 600 -j2
        ;;
    unprivileged) scripts/ci/unprivileged.sh "$build_dir" ;;
    address | thread) scripts/ci/sanitized.sh "$1" ;;
    *)
        echo "dev.sh: unknown test pass '$1' (passes: $all_passes)" >&2
        return 2
        ;;
    esac
}

run_passes() {
    local pass started
    for pass in "$@"; do
        started=$SECONDS
        echo "=== dev.sh: test pass '$pass'"
        run_pass "$pass"
        echo "=== dev.sh: test pass '$pass' passed in $((SECONDS - started)) s"
    done
}

case "${1:-}" in
deps) deps ;;
build) deps && build ;;
run) deps && build && exec "$build_dir/app/sockscope" ;;
test)
    deps && build
    if [ $# -gt 1 ]; then run_passes "${@:2}"; else run_passes $all_passes; fi
    ;;
*)
    echo "usage: scripts/dev.sh run|test [PASS...]|deps|build (passes: $all_passes)" >&2
    exit 2
    ;;
esac
