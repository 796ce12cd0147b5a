#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what the build and the tests need on Debian 12 (bookworm).
# Idempotent and quick when everything is present.
source "$(dirname "$0")/common.sh"

# name of a package : a file it installs (cheap presence test)
need=(
    "meson:/usr/bin/meson"
    "ninja-build:/usr/bin/ninja"
    "python3-pycotap:/usr/lib/python3/dist-packages/pycotap/__init__.py"
    "python3-venv:/usr/share/doc/python3-venv"
    "pkg-config:/usr/bin/pkg-config"
    "dpkg-dev:/usr/bin/dpkg-source"
    "gcc:/usr/bin/gcc"
    "clang:/usr/bin/clang"
    "libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/include/fuzzer/FuzzedDataProvider.h"
    "llvm:/usr/bin/llvm-cov"
    "gcc-aarch64-linux-gnu:/usr/bin/aarch64-linux-gnu-gcc"
    "libglib2.0-dev:/usr/include/glib-2.0/glib.h"
    "libpixman-1-dev:/usr/include/pixman-1/pixman.h"
    "libfdt-dev:/usr/include/libfdt.h"
    "libcbor-dev:/usr/include/cbor.h"
    "libssl-dev:/usr/include/openssl/evp.h"
    "mscgen:/usr/bin/mscgen"
    "python3-sphinx:/usr/bin/sphinx-build"
    "flex:/usr/bin/flex"
    "bison:/usr/bin/bison"
    "xz-utils:/usr/bin/xz"
    "ccache:/usr/bin/ccache"
    "python3:/usr/bin/python3"
)

missing=()
for entry in "${need[@]}"; do
    [ -e "${entry#*:}" ] || missing+=("${entry%%:*}")
done

meson_ok() {
    [ -x /usr/bin/meson ] &&
        dpkg --compare-versions "$(/usr/bin/meson --version)" ge 1.5
}
sources_ok() {
    grep -qs "$QEMU_DEB_SUITE" /etc/apt/sources.list.d/rmm-emu-backports.sources
}

if [ ${#missing[@]} -eq 0 ] && meson_ok && sources_ok; then
    exit 0
fi

[ "$(id -u)" -eq 0 ] ||
    die "missing packages (${missing[*]:-meson>=1.5}); run as root or install them"
grep -qs 'VERSION_CODENAME=bookworm' /etc/os-release ||
    say "warning: not Debian 12 (bookworm); trying anyway"

say "adding $QEMU_DEB_SUITE (deb and deb-src) to apt sources"
cat > /etc/apt/sources.list.d/rmm-emu-backports.sources <<SRC
Types: deb deb-src
URIs: http://deb.debian.org/debian
Suites: $QEMU_DEB_SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
export DEBIAN_FRONTEND=noninteractive
log=$RMM_EMU_CACHE/logs/install-deps.log
run_stage "apt-get update" "$log" apt-get update -q
run_stage "installing meson python3-pycotap (from $QEMU_DEB_SUITE)" \
    "$log.backports" \
    apt-get install -y -q -t "$QEMU_DEB_SUITE" meson python3-pycotap
if [ ${#missing[@]} -gt 0 ]; then
    run_stage "installing ${missing[*]}" "$log.packages" \
        apt-get install -y -q "${missing[@]}"
fi
meson_ok || die "meson >= 1.5 is still missing after installing"
