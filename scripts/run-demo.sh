#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make run`: boot -machine rme with the bundled host driver image.  The
# image makes real SMC calls; the emulated RMM answers them and traces each
# one.  Shows the guest's console, the RMI calls it made, and a summary.
source "$(dirname "$0")/common.sh"

BUILD=${BUILD:-build}
cd "$REPO"
bash scripts/standalone-build.sh "$BUILD" sanitize
qbuild=$(bash scripts/qemu-build.sh)
elf=$REPO/$BUILD/host-driver/rmm-guest.elf
[ -f "$elf" ] || die "guest image $elf was not built"

out=$REPO/$BUILD/demo
mkdir -p "$out"
# RMM_ACTIVATE asks for a donation of 8 non-contiguous 4K granules and range
# delegation yields every 64 granules: the image drives both SRO paths.
cmd=("$qbuild/qemu-system-aarch64" -machine rme -m 512 -nographic -nodefaults
     -serial stdio -no-reboot
     -global rmm-emu.activate-donate-req=0x20020
     -global rmm-emu.delegate-yield-every=64
     -trace 'rmm_emu_*' -D "$out/rmi-trace.log"
     -kernel "$elf")
say "booting: ${cmd[*]##*/}"
rc=0
ASAN_OPTIONS=detect_leaks=0 timeout 300 "${cmd[@]}" | tee "$out/console.log" || rc=$?

say "RMI calls the guest made (full trace: $out/rmi-trace.log)"
grep -o 'rmm_emu_return [A-Z_]* x0=0x[0-9a-f]*' "$out/rmi-trace.log" |
    awk 'function hex(s,   i, v) {   # mawk has no strtonum
             v = 0
             for (i = 1; i <= length(s); i++)
                 v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
             return v
         }
         { x0 = substr($3, 6); st = hex(substr(x0, length(x0) - 1))
           if (length(x0) == 16 && st == 255) name = "SMCCC_NOT_SUPPORTED"
           else name = status[st]
           key = sprintf("%-28s %s", $2, name); n[key]++ }
         BEGIN { split("SUCCESS ERROR_INPUT ERROR_REALM ERROR_REC ERROR_RTT " \
                       "ERROR_NOT_SUPPORTED ERROR_DEVICE ERROR_RTT_AUX " \
                       "ERROR_PSMMU_ST ERROR_DPT BUSY ERROR_GLOBAL " \
                       "ERROR_TRACKING INCOMPLETE BLOCKED ERROR_GPT " \
                       "ERROR_GRANULE", t, " ")
                 for (i in t) status[i - 1] = t[i] }
         END { for (k in n) printf "  %-52s x%d\n", k, n[k] }' | sort

verdict=$(grep -o 'RMM-EMU GUEST: [A-Z]*.*' "$out/console.log" | tail -n1)
echo
echo "summary: QEMU exit status $rc; $(grep -c 'rmm_emu_call' "$out/rmi-trace.log") RMI calls traced; ${verdict:-no verdict from the guest}"
case "$verdict" in
*PASS*) [ $rc -eq 0 ] ;;
*) exit 1 ;;
esac
