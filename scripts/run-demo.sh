#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make run`: boot -machine rme on the release QEMU and show what the host
# software did with the emulated RMM.
#
#   make run                     the bundled host driver image (bare-metal,
#                                NS-EL2): bring-up, SRO paths, a realm;
#                                then the same driver under a busy legal
#                                fault plan ([FAULT_PLAN=...] to choose);
#                                then a realm whose code runs at
#                                R-EL1 and prints a line
#   make run KERNEL=<ELF|Image>  your own host kernel or image instead
#            [APPEND="..."]      its command line (a kernel only)
#   make run TFTF=<tftf.bin>     TF-A Tests' TFTF (PLAT=qemu_virt), loaded
#                                at 0x60000000 as TF-A's BL31 would; the
#                                run ends when TFTF says "Exiting tests."
#   with either:
#            [REALM_EXEC=0]      RECs play exit scripts instead of
#                                executing (-machine rme,realm-exec=off)
#            [PROFILE=2.0-bet3]  the RMI profile (default 2.0-bet1)
#            [QEMU_ARGS="..."]   more QEMU options, e.g. -global rmm-emu.*
#            [MEM=2G] [SMP=2]    memory and CPUs (TFTF: SMP=4)
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

machine=rme
case "${REALM_EXEC:-}" in
0|off|no) machine=rme,realm-exec=off ;;
1|on|yes) machine=rme,realm-exec=on ;;
esac
stop_at=
if [ -n "${TFTF:-}" ]; then
    [ -f "$TFTF" ] || die "TFTF=$TFTF: no such file"
    user_image=$(cd "$(dirname "$TFTF")" && pwd)/$(basename "$TFTF")
    # TFTF reads the device tree QEMU leaves at the base of RAM, keeps its
    # test state in RAM (qemu_virt has no NVM) and, once done, prints
    # "Exiting tests." and waits for interrupts forever.
    cmd=("$qbuild/qemu-system-aarch64" -machine "$machine" -m "${MEM:-2G}"
         -smp "${SMP:-4}" -nographic -nodefaults -serial stdio -no-reboot
         -device "loader,file=$user_image,addr=0x60000000,cpu-num=0")
    stop_at='Exiting tests.'
    timeout_s=${TIMEOUT:-600}
    what="TF-A Tests (TFTF)"
elif [ -n "${KERNEL:-}" ]; then
    [ -f "$KERNEL" ] || die "KERNEL=$KERNEL: no such file"
    user_image=$(cd "$(dirname "$KERNEL")" && pwd)/$(basename "$KERNEL")
    kernel=$user_image
    cmd=("$qbuild/qemu-system-aarch64" -machine "$machine" -m "${MEM:-2G}"
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
    # Only the image: a user's first make run builds nothing else.
    bash scripts/standalone-build.sh "$BUILD" sanitize host-driver/rmm-guest.elf
    elf=$REPO/$BUILD/host-driver/rmm-guest.elf
    [ -f "$elf" ] || die "guest image $elf was not built"
    # RMM_ACTIVATE asks for a donation of 8 non-contiguous 4K granules and
    # range delegation yields every 64 granules: the image drives both SRO
    # paths.  Its realm has no code: its RECs play exit scripts.
    cmd=("$qbuild/qemu-system-aarch64" -machine rme,realm-exec=off -smp 2
         -m 512 -nographic
         -nodefaults -serial stdio -no-reboot
         -global rmm-emu.activate-donate-req=0x20020
         -global rmm-emu.delegate-yield-every=64
         -kernel "$elf")
    timeout_s=${TIMEOUT:-300}
    what="the bundled host driver image"
fi
# QEMU_ARGS is split on spaces, as a shell would split it.
read -r -a extra <<<"${QEMU_ARGS:-}"
[ -n "${PROFILE:-}" ] && extra+=(-global "rmm-emu.profile=$PROFILE")
# A realm that executes may make millions of RSI calls: trace its
# entries and exits, not every trap.
cmd+=("${extra[@]}" -trace 'rmm_emu_*' -trace '-rmm_emu_rec_trap'
      -trace rme_gpf -D "$out/rmi-trace.log")

say "booting $what: ${cmd[*]##*/}"
rm -f "$out/rmi-trace.log"
rc=0
[ "$timeout_s" != 0 ] && cmd=(timeout --foreground "$timeout_s" "${cmd[@]}")
if [ -n "$stop_at" ]; then
    # The payload never powers off: stop QEMU once it says it is done.
    : > "$out/console.log"
    "${cmd[@]}" > "$out/console.log" 2>&1 < /dev/null &
    qpid=$!
    tail -n +1 -f --pid=$qpid "$out/console.log" &
    while kill -0 $qpid 2>/dev/null; do
        if grep -qF "$stop_at" "$out/console.log"; then
            sleep 1
            kill $qpid 2>/dev/null || true
            break
        fi
        sleep 1
    done
    wait $qpid || rc=$?
    grep -qF "$stop_at" "$out/console.log" && rc=0
else
    "${cmd[@]}" | tee "$out/console.log" || rc=$?
fi
touch "$out/rmi-trace.log"

say "RMI calls (full trace: $out/rmi-trace.log)"
bash scripts/rmi-summary.sh "$out/rmi-trace.log"

calls=$(grep -c 'rmm_emu_call' "$out/rmi-trace.log" || true)
echo
if [ -n "${TFTF:-}" ]; then
    tests=$(grep -E '^Tests (Passed|Failed|Skipped|Crashed) *:' "$out/console.log" |
            sed 's/^Tests //; s/ *: */ /' | paste -sd, - | sed 's/,/, /g')
    echo "summary: $calls RMI calls traced from $(basename "$user_image"); TFTF: ${tests:-no summary (see $out/console.log)}"
    [ -n "$tests" ] && [ $rc -eq 0 ]
    exit
fi
if [ -n "${KERNEL:-}" ]; then
    echo "summary: QEMU exit status $rc; $calls RMI calls traced from $(basename "$kernel")"
    exit 0
fi
# The image touches granules it delegated, on purpose (its gpf_* checks):
# each access took a Granule Protection Fault (docs/granule-protection.rst).
say "granule protection faults the CPUs took (trace event rme_gpf)"
grep 'rme_gpf' "$out/rmi-trace.log" | sed -e 's/^[0-9@.:]* *//' -e 's/^/  /' || true
gpfs=$(grep -c 'rme_gpf' "$out/rmi-trace.log" || true)
verdict=$(grep -o 'RMM-EMU GUEST: [A-Z]*.*' "$out/console.log" | tail -n1)
act1="act one: QEMU exit status $rc; $calls RMI calls traced, $gpfs granule protection faults; ${verdict:-no verdict from the guest}"
echo "$act1"
case "$verdict" in
*PASS*) [ $rc -eq 0 ] || exit 1 ;;
*) exit 1 ;;
esac

# Runs one act of the bundled image's run: QEMU with these options (and
# QEMU_ARGS, TIMEOUT), its console shown and kept in $out/NAME-console.log
# and its trace in $out/NAME-trace.log.  Sets rc to QEMU's exit status.
run_act() {
    local name=$1
    shift
    local cmd=("$qbuild/qemu-system-aarch64" "$@" -nographic -nodefaults
               -serial stdio -no-reboot "${extra[@]}"
               -D "$out/$name-trace.log")

    [ "$timeout_s" != 0 ] &&
        cmd=(timeout --foreground "$timeout_s" "${cmd[@]}")
    rm -f "$out/$name-trace.log"
    rc=0
    "${cmd[@]}" | tee "$out/$name-console.log" || rc=$?
    touch "$out/$name-trace.log"
}

# Act two: the same driver, three realms, under a busy legal fault plan
# (docs/fault-plans.rst).  A correct host survives it: every step
# succeeds, every granule comes back, and the RMM sees no host mistake.
plan=${FAULT_PLAN:-'seed=5; busy:class=sro:p=0.2:n=3; split:class=sro:p=0.2:k=2; donate:class=memxfer:p=0.3:size=l3:count=random:contig=random; consume:max=1; reclaim:max=1; exit:cmd=REC_ENTER:p=0.3'}
bash scripts/standalone-build.sh "$BUILD" sanitize host-driver/rmm-guest-faults.elf
elf=$REPO/$BUILD/host-driver/rmm-guest-faults.elf
[ -f "$elf" ] || die "guest image $elf was not built"
echo
say "act two: the host driver under the fault plan '$plan'"
run_act faults -machine "rme,realm-exec=off,fault-plan=$plan" -smp 2 \
    -m 512 -kernel "$elf" -trace 'rmm_emu_*' -d guest_errors

say "faults the RMM fired, by action (trace: $out/faults-trace.log)"
grep -o 'rmm_emu_fault call=[0-9]* rule=[0-9]* ([a-z]*) [A-Z_]* [a-z-]*' \
    "$out/faults-trace.log" | awk '{ n[$6]++ } END { for (a in n) printf "  %-12s %6d\n", a, n[a] }' | sort
faults=$(grep -c 'rmm_emu_fault' "$out/faults-trace.log" || true)
violations=$(grep -c 'host violation' "$out/faults-trace.log" || true)
calls=$(grep -c 'rmm_emu_call' "$out/faults-trace.log" || true)
verdict=$(grep -o 'RMM-EMU GUEST: [A-Z]*.*' "$out/faults-console.log" | tail -n1)
act2="act two: QEMU exit status $rc; $calls RMI calls, $faults faults fired, $violations host violations; ${verdict:-no verdict from the guest}"
act2_ok=false
case "$verdict" in
*PASS*) [ $rc -eq 0 ] && [ "$violations" = 0 ] && act2_ok=true ;;
esac

# The most interesting SRO exchange of act two, as a message sequence
# chart next to its trace (scripts/rmi-trace, mscgen).
chart=
if command -v mscgen > /dev/null; then
    say "the most interesting SRO exchange of act two (scripts/rmi-trace)"
    if scripts/rmi-trace --msc "$out/faults-sro.png" "$out/faults-trace.log"
    then
        chart="; chart: $out/faults-sro.png"
    fi
fi
act2="$act2$chart"

# Act three: a realm that executes (the default; docs/realm-execution.rst).
# The realm payload runs at R-EL1, asks the RMM (RSI) and prints through
# an MMIO console its host emulates.
bash scripts/standalone-build.sh "$BUILD" sanitize host-driver/rmm-guest-realm.elf
elf=$REPO/$BUILD/host-driver/rmm-guest-realm.elf
[ -f "$elf" ] || die "guest image $elf was not built"
echo
say "act three: a realm whose code runs at R-EL1"
run_act realm -machine rme -m 512 -kernel "$elf" -trace 'rmm_emu_rec_*'

say "what the realm's exceptions to EL2 became (trace: $out/realm-trace.log)"
grep -o 'rmm_emu_rec_trap .*: [a-zA-Z ]*$' "$out/realm-trace.log" |
    sed 's/.*: //' | sort | uniq -c | sort -rn | sed 's/^/  /'
entries=$(grep -c 'rmm_emu_rec_enter' "$out/realm-trace.log" || true)
in_place=$(grep -c 'answered in place' "$out/realm-trace.log" || true)
said=$(grep -m1 '^realm: ' "$out/realm-console.log" | sed 's/^realm: //')
verdict=$(grep -o 'RMM-EMU GUEST: [A-Z]*.*' "$out/realm-console.log" | tail -n1)
act3="act three: QEMU exit status $rc; $entries REC entries, $in_place RSI/PSCI calls answered in place; the realm said \"$said\"; ${verdict:-no verdict from the guest}"

echo
echo "summary: $act1"
echo "summary: $act2"
echo "summary: $act3"
$act2_ok || exit 1
case "$verdict" in
*PASS*) [ $rc -eq 0 ] ;;
*) exit 1 ;;
esac
