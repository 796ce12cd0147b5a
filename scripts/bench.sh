#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make bench`: the benchmarks, each printing figures next to a baseline
# measured in the same run.
#  1. bench-core (release build): in-process RMI_VERSION calls/s and
#     delegate+undelegate granules/s.
#  2. inside one QEMU run, the guest-measured round trip of RMI_VERSION
#     next to PSCI_VERSION (both are SMCs answered by QEMU; the ratio
#     isolates rmm-emu's cost from TCG's exception entry and exit).
source "$(dirname "$0")/common.sh"

RELEASE_BUILD=${RELEASE_BUILD:-build-release}
cd "$REPO"
bash scripts/standalone-build.sh "$RELEASE_BUILD" release
qbuild=$(bash scripts/qemu-build.sh release)

say "bench-core (in-process)"
"$RELEASE_BUILD/bench/bench-core" "${BENCH_SECONDS:-1}"

say "bench-lifecycle (in-process realm lifecycle)"
"$RELEASE_BUILD/bench/bench-lifecycle" | tee "$REPO/$RELEASE_BUILD/bench-lifecycle.log"

say "guest round trips on -machine rme (TCG)"
elf=$REPO/$RELEASE_BUILD/host-driver/rmm-guest-bench.elf
ASAN_OPTIONS=detect_leaks=0 timeout 600 "$qbuild/qemu-system-aarch64" \
    -machine rme,realm-exec=off -m 512 -nographic -nodefaults -serial stdio \
    -no-reboot -kernel "$elf" | tee "$REPO/$RELEASE_BUILD/bench-guest.log"
grep -q '^BENCH ' "$REPO/$RELEASE_BUILD/bench-guest.log" ||
    die "the guest benchmark printed no BENCH line"

say "one bounded call: delegate and undelegate all of a 2 GiB guest's RAM (TCG)"
# The RMM bounds each range call (range-granules-per-call, 512): the time
# one call takes is how long it holds the vCPU (and the device lock).
# With granule protection (the default) and without it (gpc=off), in
# alternating rounds: what keeping the GPT and flushing the TLBs after each
# call costs (docs/granule-protection.rst).
elf=$REPO/$RELEASE_BUILD/host-driver/rmm-guest-delegate-all.elf
: > "$REPO/$RELEASE_BUILD/bench-delegate-all.log"
for round in 1 2 3; do
    for gpc in on off; do
        timeout 600 "$qbuild/qemu-system-aarch64" \
            -machine rme,realm-exec=off,gpc=$gpc -m 2048 -nographic -nodefaults \
            -serial stdio -no-reboot -kernel "$elf" |
            sed "s/^BENCH delegate_all /BENCH delegate_all gpc=$gpc /" |
            tee -a "$REPO/$RELEASE_BUILD/bench-delegate-all.log"
    done
done
grep -q '^BENCH delegate_all' "$REPO/$RELEASE_BUILD/bench-delegate-all.log" ||
    die "the delegate-all image printed no BENCH line"

say "realms that execute (-machine rme, TCG)"
# The realm payload times RSI_VERSION answered in place against
# PSCI_VERSION from the host, and REC exit+entry round trips through the
# host driver (docs/realm-execution.rst).  With the TLB kept across
# switches while its owner does not change (the default) and flushed on
# every switch (realm-lazy-tlb=off), in alternating runs.
elf=$REPO/$RELEASE_BUILD/host-driver/rmm-guest-realm-bench.elf
: > "$REPO/$RELEASE_BUILD/bench-realm.log"
for round in 1 2 3; do
    for lazy in on off; do
        timeout 600 "$qbuild/qemu-system-aarch64" \
            -machine rme,realm-exec=on \
            -global rmm-emu.realm-lazy-tlb=$lazy -m 512 -nographic \
            -nodefaults -serial stdio -no-reboot -kernel "$elf" |
            sed "s/^BENCH realm /BENCH realm lazy-tlb=$lazy /" |
            tee -a "$REPO/$RELEASE_BUILD/bench-realm.log"
    done
done
grep -q '^BENCH realm' "$REPO/$RELEASE_BUILD/bench-realm.log" ||
    die "the realm benchmark printed no BENCH line"

core=$(grep '^summary:' <<<"$("$RELEASE_BUILD/bench/bench-core" 0.3)" || true)
guest=$(grep '^BENCH ' "$REPO/$RELEASE_BUILD/bench-guest.log")
echo
echo "== bench summary =="
echo "in-process: ${core#summary: }"
echo "lifecycle:  $(sed -n 's/^summary: //p' "$REPO/$RELEASE_BUILD/bench-lifecycle.log")"
echo "in QEMU:    ${guest#BENCH }"
sed -n 's/^BENCH delegate_all /per call:   /p' "$REPO/$RELEASE_BUILD/bench-delegate-all.log"
sed -n 's/^BENCH realm /realm:      /p' "$REPO/$RELEASE_BUILD/bench-realm.log"
