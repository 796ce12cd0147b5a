#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Executions per second of every fuzz target, in both fuzz builds
# (docs/fuzzing.rst, "Speed").
#
#   fuzz-speed.sh [SECONDS] [ROUNDS]   default 30 s, 3 rounds
#
# Each round runs every target for SECONDS from its seeds (a fresh corpus,
# -seed=ROUND) in the ASan + UBSan build (build-fuzz) and in the UBSan
# build (build-fuzz-ubsan), one after the other, alternating which goes
# first, so that both see the same machine.  The table gives the median
# exec/s over the rounds with the min and max, and the ratio of the medians.
# Progress on stderr, the table on stdout.
source "$(dirname "$0")/common.sh"

cd "$REPO"
secs=${1:-30}
rounds=${2:-3}
[[ $secs =~ ^[0-9]+$ && $secs -gt 0 && $rounds =~ ^[0-9]+$ &&
   $rounds -gt 0 ]] || die "usage: fuzz-speed.sh [SECONDS] [ROUNDS]"
mapfile -t targets < <(sed -e 's/#.*//' fuzz/targets.txt | awk 'NF')

FUZZ_SANITIZE=address,undefined bash scripts/fuzz-build.sh build-fuzz
FUZZ_SANITIZE=undefined bash scripts/fuzz-build.sh build-fuzz-ubsan
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One run: exec/s of target $2 (with its flags) in build $1, round $3.
run() {
    local build=$1 t=$2 round=$3 corpus=$tmp/corpus eps
    local -a flags
    read -ra flags <<< "$(printf '%s\n' "${targets[@]}" |
                          awk -v t="$t" '$1 == t { $1 = ""; print }')"
    rm -rf "$corpus"
    mkdir -p "$corpus"
    eps=$("$build/fuzz/$t" "${flags[@]}" -dict="fuzz/$t.dict" -seed="$round" \
          -max_total_time="$secs" -print_final_stats=1 \
          -artifact_prefix="$tmp/" "$corpus" "fuzz/corpus/$t" 2>&1 |
          awk '/^stat::average_exec_per_sec:/ { print $2 }')
    echo "${eps:-0}"
}

# median min max of the numbers on stdin
stats() {
    sort -n | awk '{ v[NR] = $1 }
        END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%d %d %d\n", m, v[1], v[NR] }'
}

declare -A res
total=$(( ${#targets[@]} * rounds * 2 ))
n=0
for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then order="build-fuzz build-fuzz-ubsan"
    else order="build-fuzz-ubsan build-fuzz"; fi
    for line in "${targets[@]}"; do
        t=${line%% *}
        for b in $order; do
            n=$((n + 1))
            printf '[%d/%d] round %d: %s in %s (%ss)\n' "$n" "$total" "$r" \
                "$t" "$b" "$secs" >&2
            res[$t,$b]+="$(run "$b" "$t" "$r") "
        done
    done
done

echo
echo "== fuzz targets, exec/s per core: median (min-max) of $rounds rounds" \
     "of ${secs}s from the seeds =="
printf '%-18s %-24s %-24s %s\n' target "ASan + UBSan" "UBSan only" ratio
for line in "${targets[@]}"; do
    t=${line%% *}
    read -r am amin amax <<< "$(tr ' ' '\n' <<< "${res[$t,build-fuzz]}" |
                                awk NF | stats)"
    read -r um umin umax <<< "$(tr ' ' '\n' <<< "${res[$t,build-fuzz-ubsan]}" |
                                awk NF | stats)"
    printf '%-18s %-24s %-24s %s\n' "$t" "$am ($amin-$amax)" \
        "$um ($umin-$umax)" \
        "$(awk -v a="$am" -v u="$um" 'BEGIN { if (a > 0) printf "%.2f", u / a; else print "-" }')"
done
echo "machine: $(nproc) cores, $(uname -m); $(clang --version | head -1)"
