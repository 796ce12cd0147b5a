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

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The qtests: tests/qtest/rmm-emu/qtests.txt, which QEMU's meson reads too.
rmm_emu_qtests() {
    cat "$REPO/tests/qtest/rmm-emu/qtests.txt"
}
