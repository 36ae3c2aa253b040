#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The unprivileged pass: the main build's test suite once more, as a user
# without any privilege, so every test that needs one must skip with the
# reason (a test that fails instead is a bug in the test).
#   scripts/ci/unprivileged.sh [BUILD_DIR]
#
# How the user reaches a tree that only root can reach, without changing the
# machine: a clone in /root/x (mode 700) or in a `mktemp -d` (700) cannot be
# traversed by another user, and the build dir (root's, 755) cannot be written,
# yet ctest writes Testing/ there and the tests run the binaries by their
# absolute paths. So the run happens in a private mount namespace, where
#  - every directory on the way to the source and build dirs that the user
#    cannot traverse is covered by a tmpfs (mode 755) whose entries are bind
#    mounts of the original entries: the same paths, the same files, no chmod;
#  - a tmpfs owned by the user is mounted on BUILD_DIR/Testing;
#  - HOME and TMPDIR are fresh directories owned by the user.
# Everything is undone when the namespace ends, whatever way the script ends;
# the only lasting change is the system user itself (created once).
# The AppImage tests (label appimage) do not run here: appimage_build writes
# the image into the build dir and tst_appimage's minimal Debian root needs
# root (debootstrap, chroot); the main pass runs them.
set -euo pipefail
ci_user=sockscope-ci
source_dir=$(cd "$(dirname "$0")/../.." && pwd -P)

if [ "${1:-}" = --inside ]; then
    inside=1
    shift
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "unprivileged.sh: running as $(id -un), not root: the main pass already was the unprivileged one; nothing more to do"
    exit 0
fi
build_dir=$(cd "$source_dir" && cd "${1:-build}" && pwd -P)

# Replaces directory $1 by a tmpfs with the same entries (bind mounts), so that
# everyone can traverse it; the entries keep their own owners and modes.
open_directory() {
    local dir=$1 stash entry
    stash=$(mktemp -d /run/sockscope-ci-stash.XXXXXX)
    mount --bind "$dir" "$stash"
    mount -t tmpfs -o mode=755,size=1m sockscope-ci "$dir"
    for entry in "$stash"/* "$stash"/.[!.]* "$stash"/..?*; do
        [ -e "$entry" ] || [ -L "$entry" ] || continue
        local target=$dir/${entry##*/}
        if [ -L "$entry" ]; then
            cp -P "$entry" "$target"
            continue
        elif [ -d "$entry" ]; then
            mkdir "$target"
        else
            : >"$target"
        fi
        mount --bind "$entry" "$target"
    done
}

# Opens every directory from / down to $1 that $ci_user cannot traverse.
open_path() {
    local path=/ part
    local -a parts
    IFS=/ read -r -a parts <<<"${1#/}"
    for part in "${parts[@]}"; do
        path=${path%/}/$part
        if ! setpriv --reuid="$ci_user" --regid="$ci_user" --clear-groups test -x "$path"; then
            open_directory "$path"
        fi
    done
}

if [ -z "${inside:-}" ]; then
    if ! id "$ci_user" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
            --user-group "$ci_user"
        echo "unprivileged.sh: created the system user $ci_user (no login shell, no password)"
    fi
    # The namespace's mounts vanish with it; nothing leaks to the host.
    exec unshare --mount --propagation private "$0" --inside "$build_dir"
fi

open_path "$source_dir"
open_path "$build_dir"
mkdir -p "$build_dir/Testing"
mount -t tmpfs -o "mode=700,uid=$(id -u "$ci_user"),gid=$(id -g "$ci_user"),size=64m" \
    sockscope-ci "$build_dir/Testing"
scratch=$(mktemp -d /tmp/sockscope-ci.XXXXXX)
mount -t tmpfs -o "mode=700,uid=$(id -u "$ci_user"),gid=$(id -g "$ci_user"),size=512m" \
    sockscope-ci "$scratch"
mkdir -m 700 "$scratch/home" "$scratch/tmp" "$scratch/runtime"
chown "$ci_user:" "$scratch/home" "$scratch/tmp" "$scratch/runtime"
report=$scratch/junit.xml

# One test at a time: a user gets no private network namespace, so the tests
# share the host's, and one's sockets would show in another's counts.
echo "unprivileged.sh: the suite as $ci_user (uid $(id -u "$ci_user"), no capabilities), label appimage excluded"
status=0
setpriv --reuid="$ci_user" --regid="$ci_user" --clear-groups --inh-caps=-all \
    --bounding-set=-all --no-new-privs \
    env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$scratch/home" TMPDIR="$scratch/tmp" \
    XDG_RUNTIME_DIR="$scratch/runtime" USER="$ci_user" LANG=C.UTF-8 \
    ctest --test-dir "$build_dir" -LE appimage --output-on-failure --timeout 300 \
    --output-junit "$report" || status=$?

# What was skipped and why: Qt Test prints "SKIP   : tst_x::case() reason".
if [ -f "$report" ]; then
    skips=$(sed -e "s/&apos;/'/g" -e 's/&quot;/"/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' \
        -e 's/&amp;/\&/g' "$report" | grep -o 'SKIP   : .*' | sed 's/^SKIP   : //' || true)
    tests=$(grep -c '<testcase ' "$report" || true)
    echo "unprivileged.sh: $tests tests ran; $(printf '%s' "$skips" | grep -c . || true) cases skipped:"
    # Grouped by reason: the test function and its data tag cut off.
    printf '%s\n' "$skips" | sed -E 's/^[^ ]+::[^(]*\(([^)]*)?\) //' | sort | uniq -c | sort -rn
fi
exit "$status"
