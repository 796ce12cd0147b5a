# SPDX-License-Identifier: GPL-2.0-or-later
# Shared settings for the build scripts (sourced, not run).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RMM_EMU_CACHE=${RMM_EMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rmm-emu}
QEMU_SERIES=10.0          # the only QEMU series the patches apply to
QEMU_DEB_SUITE=bookworm-backports
JOBS=${JOBS:-$(nproc)}

# Debian's python3: another python3 earlier on PATH (pyenv) cannot see
# Debian's meson and pycotap.
export PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH

# Bold only on a terminal: logs and CI output stay plain text.
if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then
    say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
else
    say() { printf '==> %s\n' "$*" >&2; }
fi
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# run_stage WHAT LOG CMD...: a long, noisy step as one line of progress
# ("==> WHAT (log: LOG)"); CMD's output goes to LOG.  On a terminal the
# line shows ninja's [done/total] as it goes.  On failure: the last 40
# lines of LOG, then the error.  VERBOSE=1 shows CMD's output instead.
run_stage() {
    local what=$1 log=$2 rc=0 pid step
    shift 2
    if [ -n "${VERBOSE:-}" ]; then
        say "$what"
        "$@" >&2 || die "$what failed"
        return
    fi
    mkdir -p "$(dirname "$log")"
    say "$what (log: $log)"
    "$@" > "$log" 2>&1 < /dev/null &
    pid=$!
    if [ -t 2 ]; then
        while kill -0 "$pid" 2>/dev/null; do
            step=$(grep -ao '^\[[0-9]*/[0-9]*\]' "$log" | tail -n1 || true)
            printf '\r    %s ' "$step" >&2
            sleep 1
        done
        printf '\r\033[K' >&2
    fi
    wait "$pid" || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 40 "$log" >&2
        die "$what failed (exit status $rc); the whole log is $log"
    fi
}

# The qtests: tests/qtest/rmm-emu/qtests.txt, which QEMU's meson reads too.
rmm_emu_qtests() {
    cat "$REPO/tests/qtest/rmm-emu/qtests.txt"
}
