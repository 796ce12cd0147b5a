#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make bench`: the benchmarks, each figure next to a baseline measured in
# the same run, in alternating rounds, as median (min-max).  Every figure
# of the closing summary comes from the runs above it (bench/README.md).
#  1. bench-core (release build, LTO): in-process dispatch, delegate +
#     undelegate against the scrub floor, granule protection, metadata;
#     then the 16 MiB..4 GiB sweep and its plot.
#  2. bench-lifecycle: the in-process realm lifecycle.
#  3. rmm-guest-bench.elf on the release QEMU: RMI_VERSION against
#     PSCI_VERSION like for like, and the whole lifecycle.
#  4. delegate-all (one bounded call) and the executing realm benchmark.
source "$(dirname "$0")/common.sh"

RELEASE_BUILD=${RELEASE_BUILD:-build-release}
cd "$REPO"
bash scripts/standalone-build.sh "$RELEASE_BUILD" release
qbuild=$(bash scripts/qemu-build.sh release)
logs=$REPO/$RELEASE_BUILD

# alternate_runs TAG LOG IMAGE KNOB ARGS: three rounds, each running IMAGE
# on the release QEMU once with KNOB on and once off (ARGS, a printf
# format, takes the value); every "BENCH TAG" line is labelled KNOB=value
# and kept in $logs/LOG.
alternate_runs() {
    local tag=$1 log=$logs/$2 elf=$logs/host-driver/$3 knob=$4 args=$5
    local round value

    : > "$log"
    for round in 1 2 3; do
        for value in on off; do
            # shellcheck disable=SC2046  # ARGS is split into words
            timeout 600 "$qbuild/qemu-system-aarch64" \
                $(printf -- "$args" "$value") -nographic -nodefaults \
                -serial stdio -no-reboot -kernel "$elf" |
                sed "s/^BENCH $tag /BENCH $tag $knob=$value /" |
                tee -a "$log"
        done
    done
    grep -q "^BENCH $tag" "$log" ||
        die "$3 printed no BENCH $tag line"
}

say "bench-core (in-process)"
"$RELEASE_BUILD/bench/bench-core" "${BENCH_SECONDS:-1}" | tee "$logs/bench-core.log"

say "delegate + undelegate from 16 MiB to 4 GiB (bench-core --sweep)"
"$RELEASE_BUILD/bench/bench-core" --sweep | tee "$logs/bench-sweep.log"
grep '^SWEEP' "$logs/bench-sweep.log" > "$logs/bench-sweep.dat"
if ! command -v gnuplot > /dev/null && [ "$(id -u)" -eq 0 ]; then
    apt-get install -y -q gnuplot-nox > /dev/null 2>&1 || true
fi
if command -v gnuplot > /dev/null; then
    gnuplot -e "data='$logs/bench-sweep.dat'; out='$logs/delegate-sweep.png'" \
        bench/delegate-sweep.gp && say "plot: $logs/delegate-sweep.png"
else
    say "gnuplot (gnuplot-nox) is not installed: no plot"
fi

say "bench-lifecycle (in-process realm lifecycle)"
"$RELEASE_BUILD/bench/bench-lifecycle" | tee "$logs/bench-lifecycle.log"

say "RMI against PSCI, and the realm lifecycle, on -machine rme (TCG)"
# Its realms have no code: scripted RECs, each 249 host calls and then
# PSCI CPU_OFF, so the lifecycle of its 4-REC realm takes 1000 exits.
script=$(for i in $(seq 249); do printf 'host-call:imm=1;'; done)psci:fn=cpu-off
elf=$logs/host-driver/rmm-guest-bench.elf
timeout 600 "$qbuild/qemu-system-aarch64" \
    -machine rme,realm-exec=off -m 512 -nographic -nodefaults -serial stdio \
    -no-reboot -global rmm-emu.rec-script="$script" -kernel "$elf" |
    tee "$logs/bench-guest.log"
grep -q '^BENCH smc' "$logs/bench-guest.log" ||
    die "the guest benchmark printed no BENCH line"

say "one bounded call: delegate and undelegate all of a 2 GiB guest's RAM (TCG)"
# The RMM bounds each range call (range-granules-per-call, 512): the time
# one call takes is how long it holds the vCPU (and the device lock).
# With granule protection (the default) and without it (gpc=off), in
# alternating rounds: what keeping the GPT and flushing the TLBs after each
# call costs (docs/granule-protection.rst).
alternate_runs delegate_all bench-delegate-all.log rmm-guest-delegate-all.elf \
    gpc "-machine rme,realm-exec=off,gpc=%s -m 2048"

say "realms that execute (-machine rme, TCG)"
# The realm payload times RSI_VERSION answered in place against
# PSCI_VERSION from the host, and REC exit+entry round trips through the
# host driver (docs/realm-execution.rst).  With the TLB kept across
# switches while its owner does not change (the default) and flushed on
# every switch (realm-lazy-tlb=off), in alternating runs.
alternate_runs realm bench-realm.log rmm-guest-realm-bench.elf lazy-tlb \
    "-machine rme,realm-exec=on -global rmm-emu.realm-lazy-tlb=%s -m 512"

echo
echo "== bench summary (the runs above; docs/benchmarks.rst) =="
echo "in-process: $(sed -n 's/^summary: //p' "$logs/bench-core.log")"
echo "lifecycle:  $(sed -n 's/^summary: //p' "$logs/bench-lifecycle.log")"
sed -n 's/^BENCH smc /in QEMU:    /p; s/^BENCH lifecycle /in QEMU:    lifecycle /p' \
    "$logs/bench-guest.log"
sed -n 's/^BENCH delegate_all /per call:   /p' "$logs/bench-delegate-all.log"
sed -n 's/^BENCH realm /realm:      /p' "$logs/bench-realm.log"
