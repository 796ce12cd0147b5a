#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build TF-A Tests' TFTF with its realm-payload suite for -machine rme
# (docs/realm-execution.rst), from a TF-A Tests source tree:
#
#   scripts/tftf-build.sh <tf-a-tests source>   prints the tftf.bin path
#   make run TFTF=<that path> PROFILE=2.0-bet3 TIMEOUT=1800
#
# No source changes.  The realm image is built with PLAT=fvp (it has no
# platform code), TFTF with PLAT=qemu_virt and -fno-pie (the realm image
# is appended to it, as TF-A Tests' own 'tftf: realm' rule does).  The
# skip list is qemu_virt's, plus the two PCIe DOE tests: qemu_virt has no
# PCIe information table and those tests panic without one.
source "$(dirname "$0")/common.sh"

src=${1:-${TFA_TESTS_SRC:-}}
[ -n "$src" ] && [ -f "$src/Makefile" ] && [ -d "$src/realm" ] ||
    die "usage: $0 <tf-a-tests source tree> (or TFA_TESTS_SRC=...)"
src=$(cd "$src" && pwd)
command -v aarch64-linux-gnu-gcc >/dev/null ||
    die "aarch64-linux-gnu-gcc is missing (scripts/install-deps.sh installs it)"
rev=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo local)
out=$RMM_EMU_CACHE/tftf/$rev
mkdir -p "$out"

skip=$out/skip-rme.txt
cat "$src/plat/qemu/qemu_virt/tests_to_skip.txt" > "$skip"
cat >> "$skip" <<'LIST'
Realm payload at EL1/PCI DOE Discovery
Realm payload at EL1/SPDM Get Version
LIST

say "building the realm image (PLAT=fvp) in $out/fvp-realm"
make -C "$src" CROSS_COMPILE=aarch64-linux-gnu- PLAT=fvp \
    ENABLE_REALM_PAYLOAD_TESTS=1 BUILD_BASE="$out/fvp-realm" realm \
    -j"$(nproc)" > "$out/build-realm.log" 2>&1 ||
    die "the realm image did not build: $out/build-realm.log"
say "building TFTF (PLAT=qemu_virt, TESTS=realm-payload) in $out/qemu"
rel=$out/qemu/qemu_virt/release
rm -rf "$rel/autogen"
env TFTF_CFLAGS=-fno-pie make -C "$src" CROSS_COMPILE=aarch64-linux-gnu- \
    PLAT=qemu_virt TESTS=realm-payload ENABLE_REALM_PAYLOAD_TESTS=1 \
    PLAT_TESTS_SKIP_LIST="$skip" BUILD_BASE="$out/qemu" \
    "$rel/tftf" "$rel/tftf.bin" -j"$(nproc)" > "$out/build-tftf.log" 2>&1 ||
    die "TFTF did not build: $out/build-tftf.log"
aarch64-linux-gnu-objcopy -O binary "$rel/tftf/tftf.elf" "$rel/tftf-norealm.bin"
cat "$rel/tftf-norealm.bin" "$out/fvp-realm/fvp/release/realm.bin" \
    > "$rel/tftf.bin"
echo "$rel/tftf.bin"
