#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make run`: boot -machine rme on the release QEMU and show what the host
# software did with the emulated RMM.
#
#   make run                     the bundled host driver image (bare-metal,
#                                NS-EL2): bring-up, SRO paths, a realm
#   make run KERNEL=<ELF|Image>  your own host kernel or image instead
#            [APPEND="..."]      its command line (a kernel only)
#            [QEMU_ARGS="..."]   more QEMU options, e.g. -global rmm-emu.*
#            [MEM=2G] [SMP=2]    memory and CPUs for your kernel
#            [TIMEOUT=seconds]   stop QEMU after this long (0: never)
#
# The RMM traces every call; the run ends with the calls grouped by
# command and status, and a summary line.
source "$(dirname "$0")/common.sh"

BUILD=${BUILD:-build}
cd "$REPO"
# make check runs this script on the sanitized QEMU it has already built.
qbuild=$(bash scripts/qemu-build.sh "${RMM_EMU_QEMU_FLAVOUR:-release}")
out=$REPO/$BUILD/demo
mkdir -p "$out"

if [ -n "${KERNEL:-}" ]; then
    [ -f "$KERNEL" ] || die "KERNEL=$KERNEL: no such file"
    kernel=$(cd "$(dirname "$KERNEL")" && pwd)/$(basename "$KERNEL")
    cmd=("$qbuild/qemu-system-aarch64" -machine rme -m "${MEM:-2G}"
         -smp "${SMP:-2}" -nographic -serial mon:stdio -no-reboot
         -kernel "$kernel")
    # An ELF or an Image: QEMU passes -append (and the DTB) to a Linux
    # Image only.
    if [ -n "${APPEND:-}" ]; then
        cmd+=(-append "$APPEND")
    elif ! head -c 4 "$kernel" | grep -q ELF; then
        cmd+=(-append "console=ttyAMA0 earlycon")
    fi
    timeout_s=${TIMEOUT:-0}
    what="your kernel"
else
    bash scripts/standalone-build.sh "$BUILD" sanitize
    elf=$REPO/$BUILD/host-driver/rmm-guest.elf
    [ -f "$elf" ] || die "guest image $elf was not built"
    # RMM_ACTIVATE asks for a donation of 8 non-contiguous 4K granules and
    # range delegation yields every 64 granules: the image drives both SRO
    # paths.
    cmd=("$qbuild/qemu-system-aarch64" -machine rme -m 512 -nographic
         -nodefaults -serial stdio -no-reboot
         -global rmm-emu.activate-donate-req=0x20020
         -global rmm-emu.delegate-yield-every=64
         -kernel "$elf")
    timeout_s=${TIMEOUT:-300}
    what="the bundled host driver image"
fi
# QEMU_ARGS is split on spaces, as a shell would split it.
read -r -a extra <<<"${QEMU_ARGS:-}"
cmd+=("${extra[@]}" -trace 'rmm_emu_*' -D "$out/rmi-trace.log")

say "booting $what: ${cmd[*]##*/}"
rm -f "$out/rmi-trace.log"
rc=0
if [ "$timeout_s" != 0 ]; then
    timeout --foreground "$timeout_s" "${cmd[@]}" | tee "$out/console.log" || rc=$?
else
    "${cmd[@]}" | tee "$out/console.log" || rc=$?
fi
touch "$out/rmi-trace.log"

say "RMI calls (full trace: $out/rmi-trace.log)"
bash scripts/rmi-summary.sh "$out/rmi-trace.log"

calls=$(grep -c 'rmm_emu_call' "$out/rmi-trace.log" || true)
echo
if [ -n "${KERNEL:-}" ]; then
    echo "summary: QEMU exit status $rc; $calls RMI calls traced from $(basename "$kernel")"
    exit 0
fi
verdict=$(grep -o 'RMM-EMU GUEST: [A-Z]*.*' "$out/console.log" | tail -n1)
echo "summary: QEMU exit status $rc; $calls RMI calls traced; ${verdict:-no verdict from the guest}"
case "$verdict" in
*PASS*) [ $rc -eq 0 ] ;;
*) exit 1 ;;
esac
