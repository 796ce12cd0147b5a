#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Mutation testing of fuzz target (a), fuzz-host-driver
# (docs/fuzzing-mutants.rst): for each mutant of the host driver
# (host-driver/mutants.h), build the target with -DRMI_MUTANT=N in a build
# directory of its own and fuzz it for a fixed budget on one core.  A
# mutant is killed when the fuzzer reports a crash (a failed oracle, a
# sanitizer report, a timeout); the time to kill is the wall-clock time of
# the run up to that report.
#
#   fuzz-mutants.sh [N...]          default: 1 to 12; 0 is the unmutated
#                                   driver (a control: it must survive)
#   fuzz-mutants.sh --write-seeds [DIR]
#                                   (re)write the seed corpus, default
#                                   fuzz/corpus/fuzz-host-driver
#
# Environment:
#   BUDGET=60        seconds of fuzzing per mutant (-max_total_time)
#   CORPUS=DIR       seed corpus, default fuzz/corpus/fuzz-host-driver
#                    (read only: new inputs go to a scratch directory)
#   MUTANT_BUILD=DIR where the build directories go, default build-mutants
#                    (DIR/m<N>, each configured by scripts/fuzz-build.sh)
#   PARALLEL=1       mutants fuzzed at a time, each on one core
#   UNIT=1           also run tests/unit/test-host-faults and
#                    test-host-driver against each mutant
#   SEED=1           libFuzzer -seed, for reproducible runs
#
# Prints one line per mutant on stdout, then "killed K of M".  The logs
# and crash inputs stay in MUTANT_BUILD/m<N>/mutant-run/.
source "$(dirname "$0")/common.sh"

BUDGET=${BUDGET:-60}
CORPUS=${CORPUS:-$REPO/fuzz/corpus/fuzz-host-driver}
MUTANT_BUILD=${MUTANT_BUILD:-build-mutants}
PARALLEL=${PARALLEL:-1}
UNIT=${UNIT:-0}
SEED=${SEED:-1}

# The seeds of fuzz/corpus/fuzz-host-driver/, one per feature the
# mutants break (docs/fuzzing-mutants.rst lists them).
write_seeds() {
    python3 - "$1" <<'EOF'
import os, sys
out = sys.argv[1]
os.makedirs(out, exist_ok=True)

def hdr(may_fail=False, bet3=False, tagged=False, short=False, aux=0,
        act=False, realm=False):
    return (bet3 | tagged << 1 | may_fail << 2 | short << 3 | aux << 4 |
            act << 6 | realm << 7)

def b0(mb4=False, unmap=0, outside=False, init=0, ipa=0):
    return mb4 | unmap << 1 | outside << 3 | init << 4 | ipa << 6

def lc(b0v=0, nrecs=1, scripts=None, fail_after=0, fail_len=0):
    data = [0, b0v, (nrecs - 1) | (scripts is not None) << 2,
            fail_after, fail_len]
    for s in scripts or []:
        data += [len(s)] + s
    return data

def seed(name, h, rules, ops, s=1):
    data = [h, s, len(rules)]
    for idx, p in rules:
        data += [idx, p]
    for op in ops:
        data += op
    with open(os.path.join(out, name), 'wb') as f:
        f.write(bytes(data))

AUX16 = 2
seed('lifecycle-plain', hdr(), [], [lc()])
seed('yield-ranges', hdr(), [(5, 6)],
     [lc(b0(init=1)), [1, 15, 0], [1, 40, 1], [2, 0, 5], [2, 1, 0]])
seed('split-4m-single', hdr(bet3=True), [(4, 1)],
     [lc(b0(mb4=True, unmap=1, init=3, ipa=3), nrecs=2)])
seed('donate-consume', hdr(aux=AUX16), [(7, 5 | 3 << 3), (11, 0)],
     [lc(b0(init=2))])
seed('donate-l2', hdr(aux=AUX16), [(17, 0), (18, 0), (12, 0), (11, 1)],
     [lc(b0(unmap=2))])
seed('activate-donate', hdr(act=True), [(10, 3)], [lc()])
seed('outside-lock', hdr(aux=AUX16, realm=True), [(9, 4), (11, 2)],
     [lc(b0(outside=True, unmap=2))])
seed('conflict-held', hdr(), [(5, 3)], [[3, 20, 6, 0], [3, 10, 0, 1]])
seed('unmap-yield-list', hdr(tagged=True), [(16, 30)],
     [lc(b0(unmap=2, init=1))])
seed('rec-scripts-psci', hdr(), [(15, 0x0a)],
     [lc(b0(), nrecs=2, scripts=[[0x09, 0x01, 0x13, 0x08, 0x03],
                                 [0x0a, 0x00]])])
seed('fail-alloc-rec-create', hdr(may_fail=True, aux=AUX16), [(11, 2)],
     [lc(b0(), fail_after=8, fail_len=255), lc()])
seed('fail-busy-storm-data', hdr(may_fail=True, short=True), [(19, 7)],
     [lc(), lc()])
seed('fail-blocked-storm', hdr(may_fail=True), [(20, 2)],
     [[1, 7, 0], lc(), [1, 3, 0]])
seed('fail-exhaust-outside', hdr(may_fail=True, realm=True, aux=AUX16),
     [(21, 0), (9, 2)],
     [lc(), lc(b0(outside=True), fail_after=4, fail_len=3)])
# may fail: a BLOCKED storm on the delegation serving REALM_CREATE's kept
# DELEGATED memory (the input that found the executor's pending-operation
# issue, docs/fuzzing-mutants.rst)
seed('fail-storm-realm-donation', hdr(may_fail=True, realm=True), [(20, 0x0a)],
     [lc()])
seed('mix-bet3', hdr(bet3=True, aux=3),
     [(0, 0x11), (3, 0x22), (7, 0x13), (12, 1), (2, 0x09)],
     [lc(b0(unmap=1, ipa=1)), [3, 30, 10, 0], [1, 63, 2],
      lc(b0(outside=True), nrecs=3)])
EOF
}

cd "$REPO"
if [ "${1:-}" = --write-seeds ]; then
    write_seeds "${2:-$CORPUS}"
    exit 0
fi
[ -d "$CORPUS" ] || die "no seed corpus at $CORPUS (--write-seeds writes it)"
CORPUS=$(cd "$CORPUS" && pwd)
if [ $# -eq 0 ]; then
    set -- $(seq 1 12)
fi

declare -A NAMES=(
    [0]="none (the driver as it is)"
    [1]="stale status on the SRO NONE path"
    [2]="no cancel: abandon on allocation failure"
    [3]="leaked tail of a partly consumed block"
    [4]="undelegate never-delegated granules"
    [5]="unbounded BLOCKED retry"
    [6]="reclaim list capacity past the list page"
    [7]="wrong block size in donation descriptors"
    [8]="donated_count ignored"
    [9]="touching a delegated granule"
    [10]="yielded range never continued, BLOCKED forever"
    [11]="INCOMPLETE handle taken as out_top"
    [12]="donation request left unserved"
)

# Configure (once) and build one mutant: the same configuration as
# scripts/fuzz-build.sh, with the mutant's switch on the compiler's
# command line (it reaches every file, the target's own included).
build_mutant() {
    local n=$1 dir=$MUTANT_BUILD/m$1

    CC="${CC:-clang} -DRMI_MUTANT=$n" bash "$REPO/scripts/fuzz-build.sh" \
        "$dir" >/dev/null 2>"$dir.build.log" ||
        { cat "$dir.build.log" >&2; die "mutant $n: fuzz-build.sh failed"; }
    ninja -C "$dir" fuzz/fuzz-host-driver >>"$dir.build.log" 2>&1 ||
        { tail -30 "$dir.build.log" >&2; die "mutant $n: build failed"; }
    if [ "$UNIT" = 1 ]; then
        ninja -C "$dir" tests/unit/test-host-faults \
            tests/unit/test-host-driver >>"$dir.build.log" 2>&1 ||
            die "mutant $n: build of the unit tests failed"
    fi
}

# Which oracle fired, from the fuzzer's log.
oracle_of() {
    local log=$1 o
    o=$(sed -n 's/^fuzz-host-driver: ORACLE FAILED (\([^)]*\)).*/\1/p' \
        "$log" | head -1)
    [ -n "$o" ] && { echo "$o"; return; }
    o=$(sed -n 's/.*ERROR: \([A-Za-z]*Sanitizer\): \([a-z-]*\).*/\1 \2/p' \
        "$log" | head -1)
    [ -n "$o" ] && { echo "$o"; return; }
    o=$(sed -n 's/.*runtime error: \(.*\)/UBSan: \1/p' "$log" | head -1)
    [ -n "$o" ] && { echo "$o"; return; }
    grep -q 'libFuzzer: timeout' "$log" && { echo "timeout"; return; }
    grep -q 'out-of-memory' "$log" && { echo "out-of-memory"; return; }
    echo "crash"
}

# Fuzz one mutant; writes "N|verdict|seconds|execs|oracle|unit" to $2.
run_mutant() {
    local n=$1 out=$2 dir=$MUTANT_BUILD/m$1
    local run=$dir/mutant-run log t0 t1 secs verdict oracle execs unit=-

    rm -rf "$run"
    mkdir -p "$run/corpus"
    log=$run/fuzz.log
    t0=$(date +%s.%N)
    "$dir/fuzz/fuzz-host-driver" -max_total_time="$BUDGET" -timeout=25 \
        -rss_limit_mb=4096 -max_len=256 -seed="$SEED" \
        -artifact_prefix="$run/" -print_final_stats=1 \
        "$run/corpus" "$CORPUS" >"$log" 2>&1 || true
    t1=$(date +%s.%N)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
            tail -1)
    if compgen -G "$run/crash-*" >/dev/null ||
       compgen -G "$run/timeout-*" >/dev/null ||
       compgen -G "$run/oom-*" >/dev/null ||
       compgen -G "$run/leak-*" >/dev/null; then
        verdict=killed
        oracle=$(oracle_of "$log")
        # The crash line's unit number, when libFuzzer printed one.
        execs=${execs:-$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')}
    else
        verdict=survived
        oracle=-
    fi
    if [ "$UNIT" = 1 ]; then
        unit=survived
        for t in test-host-faults test-host-driver; do
            if ! timeout 120 "$dir/tests/unit/$t" >"$run/$t.log" 2>&1; then
                unit="killed ($t)"
                break
            fi
        done
    fi
    echo "$n|$verdict|$secs|${execs:-?}|$oracle|$unit" >"$out"
}

say "building ${#@} mutant(s) in $MUTANT_BUILD/"
mkdir -p "$MUTANT_BUILD"
for n in "$@"; do
    [ -n "${NAMES[$n]:-}" ] || die "no mutant $n (0..12)"
    build_mutant "$n"
done

say "fuzzing each for ${BUDGET}s, $PARALLEL at a time, seeds $CORPUS"
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
running=0
for n in "$@"; do
    run_mutant "$n" "$results/$n" &
    running=$((running + 1))
    if [ "$running" -ge "$PARALLEL" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

killed=0
total=0
printf '%-3s %-46s %-8s %7s %9s  %s\n' N mutant verdict seconds execs oracle
for n in "$@"; do
    IFS='|' read -r _ verdict secs execs oracle unit <"$results/$n"
    printf '%-3s %-46s %-8s %7s %9s  %s' "$n" "${NAMES[$n]}" "$verdict" \
        "$secs" "$execs" "$oracle"
    [ "$UNIT" = 1 ] && printf '  [unit tests: %s]' "$unit"
    printf '\n'
    if [ "$n" != 0 ]; then
        total=$((total + 1))
        [ "$verdict" = killed ] && killed=$((killed + 1))
    elif [ "$verdict" = killed ]; then
        echo "warning: the unmutated driver was 'killed': a false" \
             "positive, see $MUTANT_BUILD/m0/mutant-run/" >&2
    fi
done
echo "killed $killed of $total"
